#!/usr/bin/env python3
"""Start-up times of a local run: starts ./run-local (from the repository root) with its own data
folder and ports, and prints, for each service, the wall-clock and CPU seconds from its JVM's
launch to its first /health/readiness 200, then stops it.

    python3 tools/start-times.py <data dir> <kafka port> <http port> [seconds to wait before stopping]

Run it three times on one data folder: the first start records the classes (and, on a JDK 25, the
second makes the AOT caches: wait about 45 s before stopping it); the later starts are the ones to
read. HOOKLINE_LOCAL_JAVA_HOME chooses the services' JDK. Linux only (reads /proc)."""
import os, signal, subprocess, sys, time, urllib.request

data, kafka_port, http_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
linger = float(sys.argv[4]) if len(sys.argv) > 4 else 0
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


out = os.path.join(data + '.start-times.log')
load = open('/proc/loadavg').read().split()[:3]
run = subprocess.Popen(['./run-local', '--kafka-port', kafka_port, '--http-port', str(http_port), '--data-dir', data],
                       stdout=open(out, 'w'), stderr=subprocess.STDOUT, start_new_session=True)
try:
    pids, results, deadline = {}, {}, time.time() + 300
    while len(results) < len(SERVICES) and time.time() < deadline:
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
    print(f'load average before {" ".join(load)}, after {" ".join(open("/proc/loadavg").read().split()[:3])}')
    for name in SERVICES:
        wall, cpu = results.get(name, (float('nan'), float('nan')))
        print(f'  {name:27s} ready after {wall:5.1f} s, CPU {cpu:4.1f} s')
    while time.time() < deadline and 'Hookline is up' not in open(out).read():
        time.sleep(0.2)
    time.sleep(linger)
finally:
    os.killpg(run.pid, signal.SIGINT)
    run.wait(timeout=120)
