// One target for the Slurm output parsers (sacct, squeue, sbatch, scontrol): they take whole outputs, so
// the property is only "never crashes, never loops"; the first byte picks the parser.
#include "core/slurm/sacctparser.h"
#include "core/slurm/sbatchoutput.h"
#include "core/slurm/scontroljobparser.h"
#include "core/slurm/squeueparser.h"

#include <cstdint>

using namespace TuneDeck::Slurm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArrayView text(reinterpret_cast<const char*>(data) + 1, qsizetype(size - 1));
    switch (data[0] % 5) {
    case 0: {
        const SacctResult r = SacctParser::parse(text);
        for (const SacctRow& row : r.rows)
            (void)row.allocationId();
        break;
    }
    case 1:
        (void)SqueueParser::parse(text);
        break;
    case 2:
        (void)SbatchOutput::parseJobId(text);
        (void)SbatchOutput::parseError(text);
        break;
    case 3:
        for (const ScontrolJob& job : ScontrolJobParser::parse(text).jobs) {
            (void)job.gpus();
            (void)job.runTimeSeconds();
            (void)job.numNodes();
        }
        break;
    default:
        (void)parseDurationSeconds(text);
        (void)gpuCountFromTres(text);
        (void)parseExitStatus(text);
        break;
    }
    return 0;
}
