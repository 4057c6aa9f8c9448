"""The one guard for privileged writes.

A few writes are refused to every user whatever their rights: changing the person of a
project, editing the consent history, changing the actions of a closed project. The
server's own code still makes them when it anonymises a file, after its retention
period (the cron) or at the person's request (a coordinator's action that first checked
access to every file of the person). It makes them in a *privileged* environment: the
superuser's, with the reason in the context. The context key alone proves nothing (any
RPC client can send it), and no client can obtain a superuser environment: both are
checked together, here only.
"""

PRIVILEGED_KEY = "coordination_privileged"
ANONYMISE = "anonymise"


def privileged(records, reason):
    """The records in the privileged environment of ``reason``.

    Only for the server's own code: the retention cron, and actions that checked the
    user's access to every record concerned before calling it.
    """
    # sudo: see the module's docstring; the callers checked access or are the cron.
    return records.sudo().with_context(
        **{PRIVILEGED_KEY: reason}, tracking_disable=True, active_test=False
    )


def is_privileged(env, reason):
    """Whether ``env`` is the privileged environment of ``reason``."""
    return env.su and env.context.get(PRIVILEGED_KEY) == reason
