#include "core/job/generators.h"
#include "core/job/yamltext.h"

namespace TuneDeck {
namespace {

QString finetuningType(FinetuningMethod method)
{
    // QLoRA is LoRA on a quantised base model in LLaMA-Factory (quantization_bit).
    return method == FinetuningMethod::Full ? QStringLiteral("full") : QStringLiteral("lora");
}

} // namespace

QByteArray generateTrainConfig(const JobSpec& spec)
{
    const TrainingSettings& t = spec.training;
    QString text;
    const auto line
        = [&text](const char* key, const QString& value) { text += QLatin1StringView(key) + u": " + value + u'\n'; };
    text += u"### model\n";
    line("model_name_or_path", yamlString(t.model));
    line("trust_remote_code", QStringLiteral("true"));
    text += u"\n### method\n";
    line("stage", QStringLiteral("sft"));
    line("do_train", QStringLiteral("true"));
    line("finetuning_type", finetuningType(t.method));
    if (t.method != FinetuningMethod::Full) {
        line("lora_rank", QString::number(t.loraRank));
        line("lora_target", yamlString(t.loraTarget));
    }
    if (t.method == FinetuningMethod::Qlora)
        line("quantization_bit", QString::number(t.quantizationBit));
    if (!t.gradientCheckpointing)
        line("disable_gradient_checkpointing", QStringLiteral("true"));
    text += u"\n### dataset\n";
    line("dataset", yamlString(t.dataset));
    if (!t.datasetDir.isEmpty())
        line("dataset_dir", yamlString(t.datasetDir));
    line("template", yamlString(t.templateName));
    line("cutoff_len", QString::number(t.cutoffLen));
    line("overwrite_cache", QStringLiteral("true"));
    line("preprocessing_num_workers", QStringLiteral("16"));
    line("dataloader_num_workers", QStringLiteral("4"));
    text += u"\n### output\n";
    line("output_dir", yamlString(effectiveOutputDir(spec)));
    line("logging_steps", QString::number(t.loggingSteps));
    line("save_steps", QString::number(t.saveSteps));
    line("plot_loss", QStringLiteral("true"));
    // No overwrite_output_dir (LLaMA-Factory's examples set it): without it LLaMA-Factory resumes from
    // the last checkpoint-N in output_dir, which is what a requeued job needs.
    line("save_only_model", QStringLiteral("false"));
    line("report_to", QStringLiteral("none"));
    text += u"\n### train\n";
    line("per_device_train_batch_size", QString::number(t.perDeviceBatch));
    line("gradient_accumulation_steps", QString::number(t.gradientAccumulation));
    line("learning_rate", yamlFloat(t.learningRate));
    line("num_train_epochs", yamlFloat(t.epochs));
    line("lr_scheduler_type", QStringLiteral("cosine"));
    line("warmup_ratio", QStringLiteral("0.1"));
    if (t.precision == Precision::Bf16)
        line("bf16", QStringLiteral("true"));
    else if (t.precision == Precision::Fp16)
        line("fp16", QStringLiteral("true"));
    line("ddp_timeout", QStringLiteral("180000000"));
    return text.toUtf8();
}

} // namespace TuneDeck
