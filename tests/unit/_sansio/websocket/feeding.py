"""Feeding the frame reader and joining the pieces of split frames back together."""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp._sansio.websocket.frames import Frame, FrameReader


def read(reader: FrameReader, data: bytes | bytearray | memoryview) -> list[Frame]:
    """What one ``feed`` of ``data`` gives."""
    out: list[Frame] = []
    reader.feed(data, out)
    return out


def read_split(reader: FrameReader, wire: bytes, cuts: Iterable[int]) -> list[Frame]:
    """Feed ``wire`` in reads of the sizes in ``cuts`` (the rest in one last read)."""
    got: list[Frame] = []
    pos = 0
    for cut in cuts:
        got += read(reader, wire[pos : pos + cut])
        pos += cut
    return got + read(reader, wire[pos:])


def join_pieces(pieces: list[Frame], expected: list[Frame]) -> list[Frame]:
    """Rebuild the frames ``expected`` from the pieces a reader gave, checking their shape.

    A data frame split across reads comes out as pieces shaped like fragments (RFC 6455 §5.4):
    the first with the frame's opcode and RSV bits, the rest as continuations with none, all
    but the last without FIN, none empty. Control frames come out whole.
    """
    out: list[Frame] = []
    rest = iter(pieces)
    for want in expected:
        first = next(rest)
        got = [first]
        size = len(first.payload)
        while size < len(want.payload):
            piece = next(rest)
            assert piece.payload, "an empty piece"
            assert (piece.opcode, piece.rsv) == (0, 0), "a later piece is a continuation"
            got.append(piece)
            size += len(piece.payload)
        assert not any(p.fin for p in got[:-1]), "FIN before the last piece"
        out.append(Frame(got[-1].fin, first.rsv, first.opcode, b"".join(p.payload for p in got)))
    assert next(rest, None) is None, "more pieces than frames"
    return out
