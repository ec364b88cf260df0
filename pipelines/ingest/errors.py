"""File-level refusals: a file that cannot be read or fits no profile."""

from __future__ import annotations

from pipelines.safe_text import shown_name


class FileRefused(Exception):
    """A whole file is refused. ``message`` is one paragraph in Bahasa Indonesia
    naming the file and saying what to do; ``reason`` is a short machine code."""

    def __init__(self, file_name: str, reason: str, message: str):
        super().__init__(message)
        self.file_name = file_name
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


def refuse(file_name: str, reason: str, problem: str, todo: str) -> FileRefused:
    """Build a FileRefused whose message reads: Berkas X ditolak: <problem>. <todo>.
    Control characters and bidi overrides in the name are shown escaped."""

    problem = problem.rstrip(". ")
    todo = todo.rstrip(". ")
    return FileRefused(file_name, reason, f"Berkas {shown_name(file_name)} ditolak: {problem}. {todo}.")
