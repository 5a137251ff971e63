"""Let sphinx-proof take part in parallel builds (`sphinx-build -j`).

Measured: without it, ``-j auto`` stops with NotImplementedError, and a serial build
executes the four assignment pages one after the other (clean build about 1.6 times as
long on two cores). sphinx-proof 0.4 declares itself parallel-read safe and merges its own
records (``env.proof_list``), but its domain keeps no data and lacks ``merge_domaindata``,
so Sphinx stops when it merges domains. This registers the same domain with a merge that
has nothing to do. Upstream: no issue or fix in https://github.com/executablebooks/sphinx-proof
as of its main branch of 2026-11 (commit 97cfc7b).
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from sphinx.application import Sphinx
from sphinx_proof.domain import ProofDomain
from upstream import check_version

UPSTREAM = "https://github.com/executablebooks/sphinx-proof/blob/97cfc7b/sphinx_proof/domain.py"
WRITTEN_FOR = ("sphinx-proof", "0.4.0")


class ParallelProofDomain(ProofDomain):
    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        pass  # the domain's data stays empty: the proofs live in env.proof_list


def setup(app: Sphinx) -> dict[str, object]:
    check_version(__name__, *WRITTEN_FOR, UPSTREAM)
    app.setup_extension("sphinx_proof")
    app.add_domain(ParallelProofDomain, override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
