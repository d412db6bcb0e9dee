"""The fault campaign (`python -m faults`, `make faults`): the suite under a steady load of real
commands while its processes are SIGKILLed at named crash points, its broker and database are
restarted and poison messages arrive; then an oracle checks that nothing was lost or doubled.

- `infra`: the campaign's own broker and PostgreSQL cluster, restarted at will
- `services`: the five services as its own processes, armed with crash points
- `schedule`: the seeded plan of faults; `injector` carries it out
- `load` and `client`: the commands, sent again until answered, every one recorded
- `poison`, `tap`, `offsets`, `rejoin`: what is fed in, read back, sampled and timed meanwhile
- `stores`, `oracle`: what was stored and published, judged against what was commanded
- `campaign`: one run from start to verdict; `report`: its figures
"""
