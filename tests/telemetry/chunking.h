#pragma once

// Feeds the same bytes to a reader whole, byte by byte and in random chunks (1 B - 64 KiB) and returns the
// reader's signature for each, so a test can require that chunking never changes a result.

#include <QByteArray>
#include <QList>
#include <QRandomGenerator>

namespace TuneDeck::Test {

template<class Reader, class Signature>
QList<QByteArray> signaturesOverChunkings(const QByteArray& bytes, Signature sig)
{
    QList<QByteArray> out;
    {
        Reader r;
        r.feed(bytes);
        r.finish();
        out << sig(r);
    }
    {
        Reader r;
        for (qsizetype i = 0; i < bytes.size(); ++i)
            r.feed(QByteArrayView(bytes).sliced(i, 1));
        r.finish();
        out << sig(r);
    }
    QRandomGenerator rng(20261125);
    for (int round = 0; round < 5; ++round) {
        Reader r;
        qsizetype pos = 0;
        while (pos < bytes.size()) {
            // Mostly small chunks (where line boundaries are cut), sometimes large ones.
            const qsizetype max = rng.bounded(4) == 0 ? 65536 : 17;
            const qsizetype n = std::min<qsizetype>(1 + rng.bounded(int(max)), bytes.size() - pos);
            r.feed(QByteArrayView(bytes).sliced(pos, n));
            pos += n;
        }
        r.finish();
        out << sig(r);
    }
    return out;
}

} // namespace TuneDeck::Test
