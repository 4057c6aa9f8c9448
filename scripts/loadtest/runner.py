"""The load: virtual users in threads, the crons triggered as it starts."""

import json
import os
import random
import threading
import time

from . import crondb
from .client import CallError, Client
from .scenarios import VirtualUser
from .stats import assign_roles

THINK_SECONDS = 0.2  # each step is followed by 0..200 ms of "thinking"
MAX_ERRORS_KEPT = 20
CRON_NOTIFY_SECONDS = 5


class Journal:
    """What the run did, for the report and the post-checks (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.phase = "setup"
        self.calls = []  # [phase, kind, ms, ok]
        self.errors = []  # first messages: [phase, kind, message]
        self.requests = []  # [id, token] saved by web_save
        self.actions = []  # ids of actions set done
        self.forms = {}  # "uid,project_id": reads
        self.tokens = 0

    def record(self, kind, ms, ok, error):
        with self.lock:
            self.calls.append([self.phase, kind, round(ms, 2), ok])
            if error and len(self.errors) < MAX_ERRORS_KEPT:
                self.errors.append([self.phase, kind, error])

    def token(self, uid):
        with self.lock:
            self.tokens += 1
            return f"LT-{os.getpid()}-{uid}-{self.tokens}"

    def saved_request(self, request_id, token):
        with self.lock:
            self.requests.append([request_id, token])

    def action_done(self, action_id):
        with self.lock:
            self.actions.append(action_id)

    def form_read(self, uid, project_id):
        key = f"{uid},{project_id}"
        with self.lock:
            self.forms[key] = self.forms.get(key, 0) + 1


def virtual_users(args, state, journal):
    """One VirtualUser per role of assign_roles(), the role's users in turn."""
    result = []
    taken = {}
    for index, role in enumerate(assign_roles(args.users)):
        pool = state["users"][role]
        user = pool[taken.get(role, 0) % len(pool)]
        taken[role] = taken.get(role, 0) + 1
        client = Client(args.url, args.db, journal.record)
        rng = random.Random(args.seed * 1000 + index)
        result.append(VirtualUser(client, role, user, rng, journal))
    return result


def _user_thread(vuser, password, ready, go, stop_at):
    """Log in and set up, wait for the others, then step until the end.

    Any exception is recorded as an error of the step (a bug of the client is an
    error of the run too), and the thread always reaches the barrier.
    """
    ok = _guarded(vuser, "setup", lambda: vuser.setup(password))
    try:
        ready.wait(timeout=600)
    except threading.BrokenBarrierError:
        return
    go.wait()
    while ok and time.monotonic() < stop_at[0]:
        _guarded(vuser, "step", vuser.step)
        time.sleep(vuser.rng.uniform(0, THINK_SECONDS))


def _guarded(vuser, what, func):
    try:
        func()
        return True
    except CallError:
        return False  # recorded by the client; the user goes on, clicking again
    except Exception as exc:  # noqa: BLE001 - a client bug is an error of the run
        message = f"{type(exc).__name__}: {exc}"[:300]
        vuser.journal.record(f"client error ({what})", 0.0, False, message)
        return False


def _until_done(threads, db, crons, trigger, stop_at, latest):
    """Wait for the users; meanwhile wake the cron worker every few seconds until
    every cron ran (a notification that comes while the worker is busy with
    other jobs, those due as the server starts, is not seen until its next poll,
    60 s later), and keep the load going until they all finished their work, up
    to ``latest``: the crons run under load from start to end, however long the
    worker takes to reach them and to work off their backlog."""
    done = False
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=CRON_NOTIFY_SECONDS)
            if done:
                continue
            done = crondb.all_done_since(db, crons, trigger)
            if not done:
                crondb.notify(db)
                now = time.monotonic()
                stop_at[0] = min(max(stop_at[0], now + 3 * CRON_NOTIFY_SECONDS), latest)


def run(args):
    with open(args.state, encoding="utf-8") as handle:
        state = json.load(handle)
    journal = Journal()
    users = virtual_users(args, state, journal)
    ready = threading.Barrier(len(users) + 1)
    go = threading.Event()
    stop_at = [0.0]
    threads = [
        threading.Thread(
            target=_user_thread,
            args=(vuser, state["password"], ready, go, stop_at),
            daemon=True,
        )
        for vuser in users
    ]
    for thread in threads:
        thread.start()
    ready.wait(timeout=600)  # every user logged in (or failed to)
    journal.phase = "load"
    result = {"load_start": os.getloadavg()}
    result["trigger"] = crondb.trigger(args.db, state["crons"])
    started = time.monotonic()
    stop_at[0] = started + args.duration
    go.set()
    latest = started + args.duration + args.cron_wait
    _until_done(threads, args.db, state["crons"], result["trigger"], stop_at, latest)
    result["elapsed"] = time.monotonic() - started
    result["load_end_utc"] = crondb.utc_now(args.db)
    result["load_end"] = os.getloadavg()
    journal.phase = "after"
    result["crons_waited"] = crondb.wait(
        args.db, state["crons"], result["trigger"], args.cron_wait
    )
    result.update(
        roles=[[vuser.role, vuser.user["login"]] for vuser in users],
        calls=journal.calls,
        errors=journal.errors,
        requests=journal.requests,
        actions=journal.actions,
        forms=journal.forms,
    )
    with open(args.results, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0
