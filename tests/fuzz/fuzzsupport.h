#pragma once

// Shared by the libFuzzer targets: every reader must survive any bytes, and (the property the follower
// relies on) give the same result however the bytes are chunked. The chunk sizes come from the input itself
// so the fuzzer explores them too.

#include <QByteArray>
#include <QByteArrayView>

#include <cstdio>
#include <cstdlib>

namespace TuneDeck::Fuzz {

template<class Reader, class Signature> void checkChunking(const uint8_t* data, size_t size, Signature signature)
{
    const QByteArrayView bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    Reader whole;
    whole.feed(bytes);
    whole.finish();
    const QByteArray expected = signature(whole);

    Reader chunked;
    qsizetype pos = 0;
    size_t seed = size ? data[0] : 0;
    while (pos < bytes.size()) {
        seed = seed * 1103515245u + 12345u;
        const qsizetype n = std::min<qsizetype>(1 + qsizetype((seed >> 16) % 97), bytes.size() - pos);
        chunked.feed(bytes.sliced(pos, n));
        pos += n;
    }
    chunked.finish();
    if (signature(chunked) != expected) {
        std::fprintf(
            stderr, "chunking changed the result:\n%s\n%s\n", expected.constData(), signature(chunked).constData());
        std::abort();
    }
}

} // namespace TuneDeck::Fuzz
