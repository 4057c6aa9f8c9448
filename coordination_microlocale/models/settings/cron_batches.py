"""Crons that scale: the work in batches, each committed with its progress."""

from odoo.tools import split_every

CRON_BATCH_SIZE = 200


def cron_in_batches(env, *jobs, size=None):
    """Run each job ``(records, process)``: ``process`` on batches of ``records``.

    Each batch is committed with the cron's progress (``ir.cron._commit_progress``),
    so that an interrupted run keeps what it did; when the cron's time is up the
    loop stops and Odoo runs the cron again for the rest. ``process`` must leave a
    processed record out of what the next run selects, so that it resumes.
    Called outside a cron job (a shell, a test, a button), the same batches run in
    the caller's transaction, without committing. Returns True.
    """
    size = size or CRON_BATCH_SIZE
    in_cron_job = bool(env.context.get("ir_cron_progress_id"))
    cron = env["ir.cron"]
    if in_cron_job:
        cron._commit_progress(remaining=sum(len(records) for records, _p in jobs))
    for records, process in jobs:
        for batch in split_every(size, records.ids, records.browse):
            process(batch)
            if in_cron_job and cron._commit_progress(len(batch)) <= 0:
                return True
    return True
