"""The only code that changes a dossier's state (STYLE.md §3).

`do_submit_dossier` creates a dossier (`submission`); `do_attach_document` adds an upload
(`documents`); every other change is an `Action` applied by `do_act_on_dossier` (`engine`),
which, in one transaction: locks the dossier row and checks the version the caller saw
(ConflictError), checks the actor's capacity (NotPermittedError) and the state
(ActionNotAllowedError), applies the transition and the clock rules (`handlers` do what an action
needs beyond its transition), appends the hash-chained audit event and writes the outbox row
(`records`).
"""

from motcua.dossiers.actions.documents import do_attach_document
from motcua.dossiers.actions.engine import apply_action, do_act_on_dossier
from motcua.dossiers.actions.submission import Submission, do_submit_dossier

__all__ = [
    "Submission",
    "apply_action",
    "do_act_on_dossier",
    "do_attach_document",
    "do_submit_dossier",
]
