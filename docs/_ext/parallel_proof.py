"""Let sphinx-proof take part in parallel builds (`sphinx-build -j`).

sphinx-proof 0.4 declares itself parallel-read safe and merges its own records
(``env.proof_list``) from the reading processes, but its domain keeps no data and
lacks ``merge_domaindata``, so Sphinx stops with NotImplementedError when it merges
domains. This registers the same domain with a merge that has nothing to do.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from sphinx.application import Sphinx
from sphinx_proof.domain import ProofDomain


class ParallelProofDomain(ProofDomain):
    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        pass  # the domain's data stays empty: the proofs live in env.proof_list


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("sphinx_proof")
    app.add_domain(ParallelProofDomain, override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
