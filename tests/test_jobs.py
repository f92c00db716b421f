"""The job clock: periodic runs, never two of one job at once, a failing run does not stop the job, clean stop."""

from __future__ import annotations

import asyncio

import pytest

from bot.jobs import Job, JobScheduler


async def test_runs_repeat_never_overlap_and_survive_failures() -> None:
    runs: list[str] = []
    active = 0
    most = 0

    async def slow() -> None:
        nonlocal active, most
        active += 1
        most = max(most, active)
        runs.append("slow")
        await asyncio.sleep(0.35)  # longer than its interval: later runs must not pile up
        active -= 1

    async def failing() -> None:
        runs.append("failing")
        raise RuntimeError("a broken run")

    jobs = JobScheduler()
    jobs.add(Job("slow", 0.1, slow))
    jobs.add(Job("failing", 0.1, failing))
    jobs.start()
    await asyncio.sleep(1.0)
    await jobs.shutdown(deadline_s=2)
    assert most == 1 and 2 <= runs.count("slow") <= 4
    assert runs.count("failing") >= 5  # the exception was logged, the job went on
    count = len(runs)
    await asyncio.sleep(0.3)
    assert len(runs) == count  # nothing runs after shutdown


async def test_shutdown_waits_for_a_running_job_then_cancels_at_the_deadline() -> None:
    finished: list[str] = []

    async def quick_finish() -> None:
        await asyncio.sleep(0.2)
        finished.append("quick")

    async def endless() -> None:
        await asyncio.Event().wait()

    jobs = JobScheduler()
    jobs.add(Job("quick", 60, quick_finish))
    jobs.add(Job("endless", 60, endless))
    jobs.start()
    await asyncio.sleep(0.05)
    assert set(jobs.running) == {"quick", "endless"}
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    await jobs.shutdown(deadline_s=0.5)
    assert finished == ["quick"] and jobs.running == ()
    assert 0.4 < loop.time() - t0 < 3


def test_a_job_name_is_registered_once() -> None:
    jobs = JobScheduler()
    jobs.add(Job("poll", 1, asyncio.sleep))
    with pytest.raises(ValueError, match="already registered"):
        jobs.add(Job("poll", 1, asyncio.sleep))
