// Hookline console: the little that needs a script. Everything works without it; with it, new failures
// appear live (EventSource on the API's failure stream, authenticated by the session cookie), confirmations
// guard destructive forms, a "not ready yet" page retries by itself, and a sign-in link's #token= fragment
// (never sent to the server or its logs) fills and posts the sign-in form.
(function () {
  'use strict';

  function onReady(fn) {
    if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', fn); } else { fn(); }
  }

  function signInFromFragment() {
    var form = document.getElementById('sign-in-form');
    var hash = window.location.hash;
    if (!form || hash.indexOf('#token=') !== 0) { return; }
    var token = decodeURIComponent(hash.substring('#token='.length));
    history.replaceState(null, '', window.location.pathname);
    if (token) {
      document.getElementById('token').value = token;
      form.submit();
    }
  }

  function confirmations() {
    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        if (!window.confirm(form.getAttribute('data-confirm'))) { event.preventDefault(); }
      });
    });
  }

  function retryWhenNotReady() {
    var seconds = parseInt(document.body.getAttribute('data-retry-after') || '', 10);
    if (seconds > 0) { window.setTimeout(function () { window.location.reload(); }, seconds * 1000); }
  }

  function executionHref(portal, webhookId, executionId) {
    return '/console/' + encodeURIComponent(portal) + '/webhooks/' + encodeURIComponent(webhookId)
      + '/executions/' + encodeURIComponent(executionId);
  }

  function formatTime(millis) {
    var n = parseInt(millis, 10);
    return isNaN(n) ? '' : new Date(n).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function cell(row, label, text, header) {
    var c = document.createElement(header ? 'th' : 'td');
    if (header) { c.setAttribute('scope', 'row'); }
    c.setAttribute('data-label', label);
    if (typeof text === 'string') { c.textContent = text; } else { c.appendChild(text); }
    row.appendChild(c);
  }

  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  function liveFailures() {
    var body = document.body;
    var stream = body.getAttribute('data-stream');
    var list = document.getElementById('live-failures');
    if (!stream || !list || !window.EventSource) { return; }
    var portal = body.getAttribute('data-portal');
    var webhookId = body.getAttribute('data-webhook-id');
    var source = new EventSource(stream, { withCredentials: true });

    function added(event) {
      var item;
      try { item = JSON.parse(event.data); } catch (e) { return; }
      if (!item || !item.id || !item.webhook_id) { return; }
      if (list.querySelector('[data-execution-id="' + CSS.escape(item.id) + '"]')) { return; }
      var error = item.error && (item.error.message || item.error.code) ? item.error.message || item.error.code : '';
      var li = document.createElement('li');
      li.setAttribute('data-execution-id', item.id);
      li.setAttribute('data-webhook-id', item.webhook_id);
      li.appendChild(link(executionHref(portal, item.webhook_id, item.id), 'Execution ' + item.id));
      li.appendChild(document.createTextNode(' of webhook ' + item.webhook_id + ': ' + (item.event || '')
        + (error ? ', ' + error : '') + ' at ' + formatTime(item.last_execution_time)));
      list.insertBefore(li, list.firstChild);
      var table = document.querySelector('#failed-executions tbody');
      if (table && webhookId === item.webhook_id
          && !table.querySelector('tr[data-execution-id="' + CSS.escape(item.id) + '"]')) {
        var row = document.createElement('tr');
        row.setAttribute('data-execution-id', item.id);
        cell(row, 'Execution', link(executionHref(portal, item.webhook_id, item.id), item.id), true);
        cell(row, 'Event', item.event || '');
        cell(row, 'HTTP status', item.remote_server_status == null ? 'none' : String(item.remote_server_status));
        cell(row, 'Error', error);
        cell(row, 'Retries', item.number_of_retries == null ? '' : String(item.number_of_retries));
        cell(row, 'Last attempt', formatTime(item.last_execution_time));
        table.insertBefore(row, table.firstChild);
        var none = document.getElementById('no-failures');
        if (none) { none.hidden = true; }
      }
    }

    function resolved(event) {
      var item;
      try { item = JSON.parse(event.data); } catch (e) { return; }
      var id = item && (item.id || item.execution_id);
      if (!id) { return; }
      document.querySelectorAll('#failed-executions tr[data-execution-id="' + CSS.escape(id) + '"], '
        + '#live-failures [data-execution-id="' + CSS.escape(id) + '"]').forEach(function (n) { n.remove(); });
    }

    source.addEventListener('message', added);
    source.addEventListener('failure', added);
    source.addEventListener('failed', added);
    source.addEventListener('resolved', resolved);
  }

  onReady(function () {
    signInFromFragment();
    confirmations();
    retryWhenNotReady();
    liveFailures();
  });
}());
