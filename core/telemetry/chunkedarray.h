#pragma once

#include "core/util/coreonly.h"

#include <QtGlobal>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace TuneDeck::Telemetry {

// Fixed-size blocks carved from 2 MiB regions the kernel may back with transparent huge pages: a 50-hour
// run stores ~220 MB, and faulting that in 4 KiB pages cost more CPU time than parsing the text
// (docs/benchmarks.md). Freed blocks go to a free list per size and are reused; regions are kept.
// Thread-safe.
void* allocateStoreBlock(size_t bytes);
void freeStoreBlock(void* block, size_t bytes);

// Append-only array in fixed blocks: appends never move data, and unlike a doubling vector the spare capacity
// is at most one block, which keeps a 50-hour run within its memory budget (docs/benchmarks.md).
template<class T, int BlockBits = 12> class ChunkedArray
{
public:
    static constexpr qsizetype BlockSize = qsizetype(1) << BlockBits;

    ChunkedArray() = default;
    ChunkedArray(const ChunkedArray&) = delete;
    ChunkedArray& operator=(const ChunkedArray&) = delete;
    ChunkedArray(ChunkedArray&& other) noexcept
        : m_blocks(std::move(other.m_blocks))
        , m_size(std::exchange(other.m_size, 0))
    { }
    ~ChunkedArray()
    {
        for (T* block : m_blocks)
            freeStoreBlock(block, BlockBytes);
    }

    void append(const T& value)
    {
        if ((m_size & (BlockSize - 1)) == 0) // no zeroing: written next
            m_blocks.push_back(static_cast<T*>(allocateStoreBlock(BlockBytes)));
        m_blocks.back()[size_t(m_size & (BlockSize - 1))] = value;
        ++m_size;
    }
    // n values read `stride` apart from src (a column of row-major rows), filled a block at a time.
    void appendStrided(const T* src, qsizetype stride, qsizetype n)
    {
        while (n > 0) {
            if ((m_size & (BlockSize - 1)) == 0)
                m_blocks.push_back(static_cast<T*>(allocateStoreBlock(BlockBytes)));
            T* out = m_blocks.back() + (m_size & (BlockSize - 1));
            const qsizetype chunk = std::min(n, BlockSize - (m_size & (BlockSize - 1)));
            for (qsizetype k = 0; k < chunk; ++k)
                out[k] = src[k * stride];
            src += chunk * stride;
            m_size += chunk;
            n -= chunk;
        }
    }
    const T& operator[](qsizetype i) const { return m_blocks[size_t(i >> BlockBits)][size_t(i & (BlockSize - 1))]; }
    T& operator[](qsizetype i) { return m_blocks[size_t(i >> BlockBits)][size_t(i & (BlockSize - 1))]; }
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    const T& last() const { return (*this)[m_size - 1]; }
    T& last() { return (*this)[m_size - 1]; }
    size_t memoryBytes() const { return m_blocks.size() * BlockBytes + m_blocks.capacity() * sizeof(void*); }

private:
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 64);
    static constexpr size_t BlockBytes = size_t(BlockSize) * sizeof(T);
    std::vector<T*> m_blocks;
    qsizetype m_size = 0;
};

} // namespace TuneDeck::Telemetry
