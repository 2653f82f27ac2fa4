#include "core/telemetry/chunkedarray.h"

#include <QMutex>

#include <cstdlib>
#include <map>
#include <new>
#include <sys/mman.h>

namespace TuneDeck::Telemetry {
namespace {

constexpr size_t RegionBytes = size_t(2) << 20; // one huge page on x86-64

struct BlockPool
{
    QMutex mutex;
    struct SizeClass
    {
        std::vector<void*> free;
        char* next = nullptr; // the unused rest of the newest region
        size_t left = 0;
    };
    std::map<size_t, SizeClass> classes;
};

BlockPool& pool()
{
    static BlockPool* p = new BlockPool; // never destroyed: blocks may be freed during static destruction
    return *p;
}

} // namespace

void* allocateStoreBlock(size_t bytes)
{
    if (bytes >= RegionBytes / 4) { // not a store block size: plain allocation
        void* p = std::malloc(bytes);
        if (!p)
            throw std::bad_alloc();
        return p;
    }
    BlockPool& p = pool();
    QMutexLocker lock(&p.mutex);
    BlockPool::SizeClass& c = p.classes[bytes];
    if (!c.free.empty()) {
        void* block = c.free.back();
        c.free.pop_back();
        return block;
    }
    if (c.left < bytes) {
        void* region = std::aligned_alloc(RegionBytes, RegionBytes);
        if (!region)
            throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        ::madvise(region, RegionBytes, MADV_HUGEPAGE); // a hint: without THP the region is faulted in 4 KiB pages
#endif
        c.next = static_cast<char*>(region);
        c.left = RegionBytes;
    }
    void* block = c.next;
    c.next += bytes;
    c.left -= bytes;
    return block;
}

void freeStoreBlock(void* block, size_t bytes)
{
    if (!block)
        return;
    if (bytes >= RegionBytes / 4) {
        std::free(block);
        return;
    }
    BlockPool& p = pool();
    QMutexLocker lock(&p.mutex);
    p.classes[bytes].free.push_back(block);
}

} // namespace TuneDeck::Telemetry
