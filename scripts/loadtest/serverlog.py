"""What the Odoo server log of the run says (pure, tested in tests/).

Odoo 19 retries a request whose transaction met a concurrency error
(odoo/service/model.py, retrying()):
    "<ERROR>, <n> tries left, try again in <s> sec..."
    "<ERROR>, maximum number of tries reached!"
with <ERROR> the PostgreSQL error code name (SERIALIZATION_FAILURE,
LOCK_NOT_AVAILABLE, DEADLOCK_DETECTED) or the repr of a ConcurrencyError.
The cron worker logs each job (odoo/addons/base/models/ir_cron.py):
    "Job '<name>' (<id>) starting"
    "Job '<name>' (<id>) fully done (#loop 1; done 3; remaining 0; duration 0.52s)"
"""

import re

RETRY = re.compile(
    r"odoo\.service\.model: (?P<error>.+?), \d+ tries left, try again in"
)
GAVE_UP = re.compile(
    r"odoo\.service\.model: (?P<error>.+?), maximum number of tries reached!"
)
JOB_DONE = re.compile(
    r"Job '(?P<name>.+)' \((?P<id>\d+)\) (?P<status>fully done|partially done|failed) "
    r"\(#loop (?P<loops>\d+); done (?P<done>\d+); remaining (?P<remaining>\d+); "
    r"duration (?P<duration>[\d.]+)s\)"
)
JOB_START = re.compile(r"Job '(?P<name>.+)' \((?P<id>\d+)\) starting")
REBUILT = re.compile(r"anonymous evaluation figures rebuilt: \d+ cells")
ERROR = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")


def parse(lines):
    """{"retries": {error: n}, "gave_up": {error: n}, "jobs": [dict],
    "errors": [line], "rebuilds": n (of the evaluation's published cells)}"""
    result = {"retries": {}, "gave_up": {}, "jobs": [], "errors": [], "rebuilds": 0}
    for line in lines:
        line = line.rstrip("\n")
        match = RETRY.search(line)
        if match:
            error = match.group("error")
            result["retries"][error] = result["retries"].get(error, 0) + 1
            continue
        match = GAVE_UP.search(line)
        if match:
            error = match.group("error")
            result["gave_up"][error] = result["gave_up"].get(error, 0) + 1
            continue
        match = JOB_DONE.search(line)
        if match:
            job = match.groupdict()
            for key in ("id", "loops", "done", "remaining"):
                job[key] = int(job[key])
            job["duration"] = float(job["duration"])
            result["jobs"].append(job)
            continue
        if REBUILT.search(line):
            result["rebuilds"] += 1
        if ERROR.match(line):
            result["errors"].append(line)
    return result


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return parse(handle)
    except FileNotFoundError:
        return parse([])
