"""Crons that scale: the work in batches, each committed with its progress."""

from odoo.tools import split_every

CRON_BATCH_SIZE = 200


def cron_in_batches(env, *jobs, size=None):
    """Run each job ``(records, process)``: ``process`` on batches of ``records``.

    Each batch is committed with the cron's progress (``ir.cron._commit_progress``),
    so that an interrupted run keeps what it did; when the cron's time is up the
    loop stops and Odoo runs the cron again for the rest, woken up at once by a
    trigger (``_wake_up_for_the_rest``). ``process`` must leave a
    processed record out of what the next run selects, so that it resumes.
    Called outside a cron job (a shell, a test, a button), the same batches run in
    the caller's transaction, without committing. After each batch the changes
    are written and the cache emptied, so that each batch costs the same.
    Returns True.
    """
    size = size or CRON_BATCH_SIZE
    in_cron_job = bool(env.context.get("ir_cron_progress_id"))
    cron = env["ir.cron"]
    left = sum(len(records) for records, _p in jobs)
    if in_cron_job:
        cron._commit_progress(remaining=left)
    for records, process in jobs:
        for batch in split_every(size, records.ids, records.browse):
            process(batch)
            # The cache emptied after each batch (written first): it would grow
            # with the run, and every batch cost more than the one before (a
            # backlog of 3,000 files in one transaction: 19 ms per file instead
            # of 7).
            env.flush_all()
            env.invalidate_all()
            left -= len(batch)
            if in_cron_job and cron._commit_progress(len(batch)) <= 0:
                if left:
                    _wake_up_for_the_rest(env)
                return True
    return True


def _wake_up_for_the_rest(env):
    """The cron's time is up with work left: a trigger for now.

    Odoo reschedules a job partially done for "as soon as possible", but without
    waking the cron workers: they would take the rest at their next poll, a
    minute later, for every 10 seconds of work. A trigger for now is notified to
    them when the batch commits, and the rest follows at once.
    """
    cron = env["ir.cron"].browse(env.context.get("cron_id"))
    if cron:
        cron._trigger()
