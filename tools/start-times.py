#!/usr/bin/env python3
"""Start-up times of a local run: starts ./run-local (from the repository root) with its own data
folder and ports, and prints, for each service, the wall-clock and CPU seconds from its JVM's
launch to its first /health/readiness 200, then stops it.

    python3 tools/start-times.py <data dir> <kafka port> <http port> [seconds to wait before stopping]
        [--restarts N]

Run it three times on one data folder: the first start records the classes (and, on a JDK 25, the
second makes the AOT caches: wait about 45 s before stopping it); the later starts are the ones to
read. HOOKLINE_LOCAL_JAVA_HOME chooses the services' JDK. Linux only (reads /proc).

The first figures are for everything starting at once (the broker and three service JVMs sharing
the machine). With --restarts N, once all are ready, each service is then restarted N times on its
own, the others running (a deployment restarting one service): the tool stops the service
(SIGTERM), starts the same command line with the same environment, and measures that start alone.
Meanwhile the launcher is paused (SIGSTOP), because it stops the whole run when a child exits;
at the end everything is stopped."""
import os, signal, socket, subprocess, sys, time, urllib.request

args = [a for a in sys.argv[1:]]
restarts = 0
if '--restarts' in args:
    i = args.index('--restarts')
    restarts = int(args[i + 1])
    del args[i:i + 2]
data, kafka_port, http_port = args[0], args[1], int(args[2])
linger = float(args[3]) if len(args) > 3 else 0
HZ = os.sysconf('SC_CLK_TCK')
SERVICES = {'DispatcherApplication': http_port + 1, 'RetrySchedulerApplication': http_port + 2,
            'QueryApiApplication': http_port}


def uptime():
    return float(open('/proc/uptime').read().split()[0])


def cpu_and_start(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ, int(fields[19]) / HZ


def ready(port):
    try:
        with urllib.request.urlopen(f'http://127.0.0.1:{port}/health/readiness', timeout=2) as r:
            return r.status == 200
    except Exception:
        return False


def load():
    return ' '.join(open('/proc/loadavg').read().split()[:3])


def restart(name, pid, log):
    """Stops the service, starts its command again as it was, returns (wall, cpu, new pid)."""
    command = open(f'/proc/{pid}/cmdline').read().split('\0')[:-1]
    env = dict(e.split('=', 1) for e in open(f'/proc/{pid}/environ').read().split('\0') if '=' in e)
    cwd = os.readlink(f'/proc/{pid}/cwd')
    os.kill(pid, signal.SIGTERM)
    while os.path.exists(f'/proc/{pid}') and open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()[0] != 'Z':
        time.sleep(0.05)
    while ready(SERVICES[name]):
        time.sleep(0.05)
    child = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        if ready(SERVICES[name]):
            cpu, started = cpu_and_start(child.pid)
            return uptime() - started, cpu, child
        if child.poll() is not None:
            raise SystemExit(f'{name} exited ({child.returncode}) on restart; see {log.name}')
        time.sleep(0.02)
    raise SystemExit(f'{name} not ready within 120 s of its restart; see {log.name}')


def port_free(port):
    with socket.socket() as s:
        return s.connect_ex(('127.0.0.1', int(port))) != 0


out = os.path.join(data + '.start-times.log')
wait_free = time.time() + 60  # a run just stopped may still hold its ports for a moment
while not (port_free(kafka_port) and port_free(http_port)) and time.time() < wait_free:
    time.sleep(0.5)
before = load()
run = subprocess.Popen(['./run-local', '--kafka-port', kafka_port, '--http-port', str(http_port), '--data-dir', data],
                       stdout=open(out, 'w'), stderr=subprocess.STDOUT, start_new_session=True)
restarted = []
try:
    pids, results, deadline = {}, {}, time.time() + 300
    while len(results) < len(SERVICES) and time.time() < deadline:
        if run.poll() is not None:
            raise SystemExit(f'./run-local exited ({run.returncode}); see {out}')
        for child in subprocess.run(['pgrep', '-P', str(run.pid)], capture_output=True, text=True).stdout.split():
            try:
                command = open(f'/proc/{child}/cmdline').read()
            except OSError:
                continue
            for name in SERVICES:
                if name in command:
                    pids.setdefault(name, int(child))
        for name, port in SERVICES.items():
            if name in pids and name not in results and ready(port):
                cpu, started = cpu_and_start(pids[name])
                results[name] = (uptime() - started, cpu)
        time.sleep(0.02)
    print(f'All at once: load average before {before}, after {load()}')
    for name in SERVICES:
        wall, cpu = results.get(name, (float('nan'), float('nan')))
        print(f'  {name:27s} ready after {wall:5.1f} s, CPU {cpu:4.1f} s', flush=True)
    while time.time() < deadline and 'Hookline is up' not in open(out).read():
        time.sleep(0.2)
    time.sleep(linger)
    if restarts:
        os.kill(run.pid, signal.SIGSTOP)
        log = open(data + '.restarts.log', 'a')
        for name in SERVICES:
            for i in range(restarts):
                time.sleep(10)
                before = load()
                wall, cpu, child = restart(name, pids[name], log)
                restarted.append(child)
                pids[name] = child.pid
                print(f'  {name:27s} restarted alone: ready after {wall:5.1f} s, CPU {cpu:4.1f} s '
                      f'(load average before {before})', flush=True)
finally:
    for child in restarted:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in restarted:
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
    if restarts:
        os.kill(run.pid, signal.SIGCONT)
    # SIGTERM to the launcher, as Ctrl-C would (a SIGINT is ignored when this tool runs in the background).
    run.send_signal(signal.SIGTERM)
    run.wait(timeout=120)
