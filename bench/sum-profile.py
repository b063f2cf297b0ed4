#!/usr/bin/env python3
"""Sums a dotnet-trace speedscope file per frame (issue 16's profiles).

    dotnet-trace collect -p <pid> --profile dotnet-sampled-thread-time --duration 00:00:00:08 -o x.nettrace --format speedscope
    bench/sum-profile.py x.speedscope.json [ROOT] [FILTER ...]

Counts each interval of every thread's evented profile once for each distinct frame on its stack (inclusive time),
only where the stack holds ROOT (a substring of a frame name; default the outermost request middleware,
DeveloperExceptionPageMiddlewareImpl.Invoke), and prints each frame's share of ROOT's time, largest first (TOP=N
lines, default 60). FILTERs keep only frames whose name contains one of them. Thread time: the shares include
waiting (GC suspension shows as PollGC, contention as Monitor.Enter_Slowpath).
"""
import collections
import json
import os
import sys

path = sys.argv[1]
root = sys.argv[2] if len(sys.argv) > 2 else 'DeveloperExceptionPageMiddlewareImpl.Invoke'
filters = sys.argv[3:]
profile = json.load(open(path))
frames = [f['name'] for f in profile['shared']['frames']]
inclusive = collections.Counter()
total = 0.0
for thread in profile['profiles']:
    stack, last = [], None
    for event in thread['events']:
        at = event['at']
        if last is not None and stack:
            names = [frames[i] for i in stack]
            hits = [i for i, n in enumerate(names) if root in n]
            if hits:
                dt = at - last
                total += dt
                for name in set(names[hits[-1]:]):
                    inclusive[name] += dt
        last = at
        if event['type'] == 'O':
            stack.append(event['frame'])
        else:
            while stack and stack.pop() != event['frame']:
                pass
print(f'{root}: {total:.0f} ms of thread time')
rows = [(n, v) for n, v in inclusive.most_common() if not filters or any(f in n for f in filters)]
for name, value in rows[:int(os.environ.get('TOP', '60'))]:
    print(f'{100 * value / max(total, 1e-9):5.1f}%  {name[:170]}')
