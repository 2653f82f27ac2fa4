// The inputs a researcher hands TuneDeck: sbatch scripts, accelerate and LLaMA-Factory YAMLs, job specs
// and cluster profiles (issue on hostile input). The first byte picks the reader, the rest is the file.
// Beyond "no crash, no hang, bounded memory" (run-fuzzers.sh sets -rss_limit_mb and -timeout), the
// oracle checks what users rely on: a spec the loader accepts renders without error or is refused with
// diagnostics, and what renders imports back and renders to the same three files (a fixed point).
#include "core/job/generators.h"
#include "core/job/importresult.h"
#include "core/job/jobrenderer.h"
#include "core/job/jobspecio.h"
#include "core/job/profileloader.h"
#include "core/job/profileregistry.h"

#include <cstdio>
#include <cstdlib>

using namespace TuneDeck;

namespace {

const ClusterProfile& baskerville()
{
    static const ClusterProfile profile = ProfileRegistry(QString()).find(QStringLiteral("baskerville")).value();
    return profile;
}

[[noreturn]] void fail(const char* what, const QByteArray& detail)
{
    std::fprintf(stderr, "fuzz_jobinputs: %s\n%s\n", what, detail.constData());
    std::abort();
}

// A design that validates must survive its own files: generate -> import -> generate is a fixed point.
void checkRoundTrip(const JobSpec& spec)
{
    const RenderedJob first = renderJob(spec, baskerville());
    if (first.hasErrors()) {
        if (!first.sbatchScript.isEmpty() || !first.accelerateYaml.isEmpty() || !first.trainYaml.isEmpty())
            fail("a design with errors still produced files", saveJobSpecToYaml(spec));
        return;
    }
    const ImportResult back = importJobFiles({ { QString::fromLatin1(SbatchFileName), first.sbatchScript },
                                                 { QString::fromLatin1(AccelerateFileName), first.accelerateYaml },
                                                 { QString::fromLatin1(TrainFileName), first.trainYaml } },
        baskerville());
    if (!back.ok())
        fail("TuneDeck's own files do not import", back.errors.front().toString().toUtf8() + '\n' + first.sbatchScript);
    JobSpec again = back.spec;
    // What no file carries (estimates used by validation only) comes from the design.
    again.training.datasetExamples = spec.training.datasetExamples;
    again.training.modelParamsBillions = spec.training.modelParamsBillions;
    again.training.expectedSecondsPerStep = spec.training.expectedSecondsPerStep;
    const RenderedJob second = renderJob(again, baskerville());
    if (second.sbatchScript != first.sbatchScript)
        fail("job.sbatch changed after import", first.sbatchScript + "\n----\n" + second.sbatchScript);
    if (second.accelerateYaml != first.accelerateYaml)
        fail("accelerate.yaml changed after import", first.accelerateYaml + "\n----\n" + second.accelerateYaml);
    if (second.trainYaml != first.trainYaml)
        fail("train.yaml changed after import", first.trainYaml + "\n----\n" + second.trainYaml);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray text(reinterpret_cast<const char*>(data) + 1, qsizetype(size - 1));
    switch (data[0] % 5) {
    case 0: { // job spec
        const JobSpecLoadResult loaded = loadJobSpecFromYaml(text, QStringLiteral("fuzz.yaml"));
        if (loaded.ok()) {
            // What it saves loads back to the same spec.
            const QByteArray saved = saveJobSpecToYaml(loaded.spec);
            const JobSpecLoadResult reloaded = loadJobSpecFromYaml(saved, QStringLiteral("saved.yaml"));
            if (!reloaded.ok() || saveJobSpecToYaml(reloaded.spec) != saved)
                fail("a saved spec does not load back the same", saved);
            checkRoundTrip(loaded.spec);
        } else {
            for (const QString& error : loaded.errors)
                if (!error.startsWith(u"fuzz.yaml"))
                    fail("a spec error does not name the file", error.toUtf8());
        }
        break;
    }
    case 1: { // cluster profile
        const ProfileLoadResult loaded = loadProfileFromYaml(text, QStringLiteral("fuzz.yaml"));
        if (!loaded.ok())
            for (const QString& error : loaded.errors)
                if (!error.startsWith(u"fuzz.yaml"))
                    fail("a profile error does not name the file", error.toUtf8());
        break;
    }
    case 2:
    case 3:
    case 4: { // an sbatch script, an accelerate config or a training YAML, recognised by content
        const char* names[] = { "job.sbatch", "accelerate.yaml", "train.yaml" };
        const ImportResult imported
            = importJobFiles({ { QString::fromLatin1(names[data[0] % 5 - 2]), text } }, baskerville());
        if (imported.ok())
            checkRoundTrip(imported.spec);
        break;
    }
    }
    return 0;
}
