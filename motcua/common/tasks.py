"""Background tasks with explicit, stable names (STYLE §2), on Django's tasks interface.

Django 5.2 has no `django.tasks`; the `django-tasks` backport provides the same interface, and
`django-tasks-db` the database backend and its worker. The database backend stores a queued
task by its import path, so a task's name and its path are one thing: `stable_task` declares the
name and refuses, at import, a function whose path does not match it. Renaming a task function
then fails loudly instead of orphaning the rows already queued under the old path (keep the old
name as an alias until the queue has drained).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks.base import Task
from typing_extensions import ParamSpec

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedTask(Task[P, T]):
    stable_name: str

    @property
    def name(self) -> str:
        return self.stable_name


def stable_task(
    *, name: str, queue_name: str, priority: int = 0
) -> Callable[[Callable[P, T]], NamedTask[P, T]]:
    """Declare a task as `<app>.<function>`, living in `motcua.<app>.tasks`.

    Raises ValueError at import when the function's module or name does not match `name`.
    """
    app, _dot, function = name.partition(".")

    def wrap(func: Callable[P, T]) -> NamedTask[P, T]:
        expected = f"motcua.{app}.tasks.{function}"
        actual = f"{func.__module__}.{func.__qualname__}"
        if actual != expected:
            raise ValueError(f"Task {name!r} must be defined as {expected}, not {actual}.")
        return NamedTask(
            func=func,
            stable_name=name,
            queue_name=queue_name,
            priority=priority,
            backend=DEFAULT_TASK_BACKEND_ALIAS,
        )

    return wrap


def supports_run_after(task: Task[Any, Any]) -> bool:
    """Whether the task's backend can hold a task until a given time (the immediate backend of
    the tests cannot: it runs everything at once)."""
    return bool(task.get_backend().supports_defer)
