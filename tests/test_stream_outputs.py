"""A cell's printed output does not depend on how the kernel split it into messages."""

from __future__ import annotations

import pytest
from myst_nb.core.utils import coalesce_streams as myst_nb_merge
from nbformat.v4 import new_output
from stream_outputs import coalesce_streams

PRINTED = "first line\nsecond line\n"
# Splits that ipykernel's timed flushes can make of the same two printed lines.
CHUNKINGS = [
    ["first line\nsecond line\n"],
    ["first line", "\nsecond line\n"],
    ["first line\n", "second line\n"],
    ["first", " line\nsecond", " line", "\n"],
]


def stdout(*chunks: str) -> list:
    return [new_output("stream", name="stdout", text=chunk) for chunk in chunks]


@pytest.mark.parametrize("chunks", CHUNKINGS)
def test_every_chunking_gives_the_printed_text(chunks):
    assert [o["text"] for o in coalesce_streams(stdout(*chunks))] == [PRINTED]


def test_myst_nb_alone_adds_a_blank_line_for_some_chunkings():
    # Why stream_outputs exists: a chunk ending just before a newline.
    assert myst_nb_merge(stdout("first line", "\nsecond line\n"))[0]["text"] == (
        "first line\n\nsecond line\n"
    )


def test_other_outputs_stay_in_place_and_stderr_is_merged_apart():
    figure = new_output("display_data", data={"text/plain": "<Figure>"})
    warning = new_output("stream", name="stderr", text="w\n")
    outputs = [*stdout("a"), figure, warning, *stdout("\nb")]
    merged = coalesce_streams(outputs)
    assert [o["output_type"] for o in merged] == ["stream", "display_data", "stream"]
    assert [merged[0]["text"], merged[2]["text"]] == ["a\nb\n", "w\n"]
    assert outputs[0]["text"] == "a"  # the notebook's own outputs are left as they were
