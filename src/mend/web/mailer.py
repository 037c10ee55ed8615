"""The server's mail loop: every minute, queue the reminders of check-ins coming up and
deliver what is due (mend.services.mail). Runs only when a mail server is configured.

With several worker processes each runs its own loop; a mail is claimed before it is
sent, so none goes out twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from mend.app import App

log = logging.getLogger("mend.mail")

#: Seconds between two rounds of the loop.
INTERVAL = 60.0


def mail_round(mend: App) -> None:
    """One round: reminders queued, then due mail sent (errors are logged, not raised)."""
    from mend.services.mail import checkins, delivery
    from mend.services.mail.smtp import SmtpConfig

    config = SmtpConfig.from_settings(mend.settings)
    mailing = mend.mailing()
    if config is None or mailing is None:
        return
    checkins.remind(mend.uow, mailing, now=mend.now(), tz=mend.tz)
    done = delivery.deliver(mend.uow, config, mend.now)
    if done.retrying or done.failed:
        log.warning(
            "mail: %d sent, %d to retry, %d failed: %s",
            done.sent,
            done.retrying,
            done.failed,
            done.last_error,
        )


async def _loop(mend: App, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await run_in_threadpool(mail_round, mend)
        except Exception:  # the loop outlives a bad round; the next one tries again
            log.exception("mail: the delivery round failed")


def lifespan(
    mend: App, interval: float = INTERVAL
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the mail loop runs while the server does (if mail is on)."""

    @asynccontextmanager
    async def run(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_loop(mend, interval)) if mend.settings.sends_mail else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    return run
