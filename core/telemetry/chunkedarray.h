#pragma once

#include "core/util/coreonly.h"

#include <QtGlobal>

#include <memory>
#include <vector>

namespace TuneDeck::Telemetry {

// Append-only array in fixed blocks: appends never move data, and unlike a doubling vector the spare capacity
// is at most one block, which keeps a 50-hour run within its memory budget (docs/benchmarks.md).
template<class T, int BlockBits = 12> class ChunkedArray
{
public:
    static constexpr qsizetype BlockSize = qsizetype(1) << BlockBits;

    void append(const T& value)
    {
        if ((m_size & (BlockSize - 1)) == 0)
            m_blocks.push_back(std::make_unique_for_overwrite<T[]>(size_t(BlockSize))); // no zeroing: written next
        m_blocks.back()[size_t(m_size & (BlockSize - 1))] = value;
        ++m_size;
    }
    const T& operator[](qsizetype i) const { return m_blocks[size_t(i >> BlockBits)][size_t(i & (BlockSize - 1))]; }
    T& operator[](qsizetype i) { return m_blocks[size_t(i >> BlockBits)][size_t(i & (BlockSize - 1))]; }
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    const T& last() const { return (*this)[m_size - 1]; }
    T& last() { return (*this)[m_size - 1]; }
    size_t memoryBytes() const
    {
        return m_blocks.size() * (size_t(BlockSize) * sizeof(T)) + m_blocks.capacity() * sizeof(void*);
    }

private:
    std::vector<std::unique_ptr<T[]>> m_blocks;
    qsizetype m_size = 0;
};

} // namespace TuneDeck::Telemetry
