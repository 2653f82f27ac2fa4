#include "core/job/trainimporter.h"

#include "core/job/accelerateimporter.h"
#include "core/job/yamltext.h"

#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace TuneDeck {
namespace {

int lineOf(const YAML::Node& node)
{
    return node.IsDefined() && node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
}

class TrainImporter
{
public:
    TrainImporter(const QString& source, ImportResult& result)
        : m_source(source)
        , m_result(result)
        , m_training(result.spec.training)
    { }

    void run(const YAML::Node& root);

private:
    void note(const YAML::Node& at, const QString& text) { m_result.note(m_source, lineOf(at), text); }
    void error(const YAML::Node& at, const QString& text) { m_result.error(m_source, lineOf(at), text); }
    void noteAt(int line, const QString& text) { m_result.note(m_source, line, text); }
    bool claim(const char* field, const YAML::Node& at, const QString& previous, const QString& value)
    {
        return m_result.claim(QString::fromLatin1(field), m_source, lineOf(at), previous, value);
    }
    void text(const char* field, const YAML::Node& node, const QString& key, QString& target);
    void integer(const char* field, const YAML::Node& node, const QString& key, int& target, int min);
    std::optional<bool> flag(const YAML::Node& node, const QString& key);

    const QString& m_source;
    ImportResult& m_result;
    TrainingSettings& m_training;
};

void TrainImporter::text(const char* field, const YAML::Node& node, const QString& key, QString& target)
{
    if (!node.IsDefined() || !node.IsScalar()) {
        error(node, QStringLiteral("%1: expected a text value").arg(key));
        return;
    }
    const QString value = QString::fromStdString(node.Scalar());
    if (claim(field, node, target, value))
        target = value;
}

void TrainImporter::integer(const char* field, const YAML::Node& node, const QString& key, int& target, int min)
{
    bool ok = false;
    const int value = node.IsDefined() && node.IsScalar() ? QString::fromStdString(node.Scalar()).toInt(&ok) : 0;
    if (!ok || value < min) {
        error(node, QStringLiteral("%1: expected a whole number of at least %2").arg(key).arg(min));
        return;
    }
    if (claim(field, node, QString::number(target), QString::number(value)))
        target = value;
}

std::optional<bool> TrainImporter::flag(const YAML::Node& node, const QString& key)
{
    static const QRegularExpression yes(QStringLiteral("^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$"));
    static const QRegularExpression no(QStringLiteral("^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$"));
    const QString value = node.IsDefined() && node.IsScalar() ? QString::fromStdString(node.Scalar()) : QString();
    if (yes.match(value).hasMatch())
        return true;
    if (no.match(value).hasMatch())
        return false;
    error(node, QStringLiteral("%1: expected true or false, got '%2'").arg(key, value));
    return std::nullopt;
}

void TrainImporter::run(const YAML::Node& root)
{
    // Keys the generator writes with one value; a different value is noted, not kept.
    struct Fixed
    {
        const char* key;
        const char* value;
    };
    static const Fixed fixed[] = {
        { "trust_remote_code", "true" },
        { "stage", "sft" },
        { "do_train", "true" },
        { "overwrite_cache", "true" },
        { "preprocessing_num_workers", "16" },
        { "dataloader_num_workers", "4" },
        { "plot_loss", "true" },
        { "save_only_model", "false" },
        { "report_to", "none" },
        { "lr_scheduler_type", "cosine" },
        { "warmup_ratio", "0.1" },
        { "ddp_timeout", "180000000" },
    };

    std::optional<int> quantizationBit;
    int quantizationLine = 0;
    QString finetuningType;
    int finetuningLine = 0;
    bool sawBf16 = false;
    bool sawFp16 = false;
    int precisionLine = 0;
    std::optional<Precision> precision;

    for (const auto& entry : root) {
        const QString key = QString::fromStdString(entry.first.Scalar());
        const YAML::Node& value = entry.second;
        const QString shown = yamlFlowText(value);
        bool handled = true;
        if (key == u"model_name_or_path") {
            text("training.model", value, key, m_training.model);
        } else if (key == u"finetuning_type") {
            finetuningType = QString::fromStdString(value.Scalar());
            finetuningLine = lineOf(value);
        } else if (key == u"quantization_bit") {
            bool ok = false;
            const int bits = QString::fromStdString(value.Scalar()).toInt(&ok);
            if (value.IsNull()) {
                // `quantization_bit: null` switches quantisation off, as if absent.
            } else if (!ok) {
                error(value, QStringLiteral("quantization_bit: expected 4 or 8, got '%1'").arg(shown));
            } else {
                quantizationBit = bits;
                quantizationLine = lineOf(value);
            }
        } else if (key == u"lora_rank") {
            integer("training.lora_rank", value, key, m_training.loraRank, 1);
        } else if (key == u"lora_target") {
            text("training.lora_target", value, key, m_training.loraTarget);
        } else if (key == u"dataset") {
            text("training.dataset", value, key, m_training.dataset);
        } else if (key == u"dataset_dir") {
            text("training.dataset_dir", value, key, m_training.datasetDir);
        } else if (key == u"template") {
            text("training.template", value, key, m_training.templateName);
        } else if (key == u"cutoff_len") {
            integer("training.cutoff_len", value, key, m_training.cutoffLen, 1);
        } else if (key == u"num_train_epochs") {
            bool ok = false;
            const double epochs = QString::fromStdString(value.Scalar()).toDouble(&ok);
            if (!ok || epochs <= 0)
                error(value, QStringLiteral("num_train_epochs: expected a positive number, got '%1'").arg(shown));
            else if (claim("training.epochs", value, QString::number(m_training.epochs), QString::number(epochs)))
                m_training.epochs = epochs;
        } else if (key == u"per_device_train_batch_size") {
            integer("training.per_device_batch", value, key, m_training.perDeviceBatch, 1);
        } else if (key == u"gradient_accumulation_steps") {
            integer("training.gradient_accumulation", value, key, m_training.gradientAccumulation, 1);
        } else if (key == u"learning_rate") {
            const QString rate = QString::fromStdString(value.Scalar());
            bool ok = false;
            rate.toDouble(&ok);
            if (!ok) {
                error(value, QStringLiteral("learning_rate: '%1' is not a number").arg(shown));
                continue;
            }
            if (yamlFloat(rate) != rate)
                note(value,
                    QStringLiteral("learning_rate: PyYAML reads %1 as a string (YAML 1.1 needs a '.'), which "
                                   "the trainer rejects; TuneDeck writes %2")
                        .arg(rate, yamlFloat(rate)));
            if (claim("training.learning_rate", value, m_training.learningRate, rate))
                m_training.learningRate = rate;
        } else if (key == u"logging_steps") {
            integer("training.logging_steps", value, key, m_training.loggingSteps, 1);
        } else if (key == u"save_steps") {
            integer("training.save_steps", value, key, m_training.saveSteps, 1);
        } else if (key == u"output_dir") {
            text("training.output_dir", value, key, m_training.outputDir);
        } else if (key == u"bf16" || key == u"fp16") {
            const std::optional<bool> on = flag(value, key);
            if (on && *on) {
                (key == u"bf16" ? sawBf16 : sawFp16) = true;
                precisionLine = lineOf(value);
            }
        } else if (key == u"disable_gradient_checkpointing") {
            if (const auto off = flag(value, key))
                if (claim("training.gradient_checkpointing", value, yamlBool(m_training.gradientCheckpointing),
                        yamlBool(!*off)))
                    m_training.gradientCheckpointing = !*off;
        } else if (key == u"overwrite_output_dir") {
            note(entry.first,
                QStringLiteral("overwrite_output_dir: %1 is not carried over: without it LLaMA-Factory resumes from "
                               "the last checkpoint in output_dir")
                    .arg(shown));
        } else if (key == u"resume_from_checkpoint") {
            if (!value.IsNull())
                note(entry.first,
                    QStringLiteral("resume_from_checkpoint: %1 is not carried over: LLaMA-Factory resumes from "
                                   "output_dir's last checkpoint (resume.enabled)")
                        .arg(shown));
        } else if (key == u"deepspeed") {
            note(entry.first,
                QStringLiteral("deepspeed: %1 is not carried over: TuneDeck shards with FSDP through the accelerate "
                               "config")
                    .arg(shown));
        } else {
            handled = false;
        }
        if (handled)
            continue;
        bool isFixed = false;
        for (const Fixed& f : fixed) {
            if (key != QLatin1StringView(f.key))
                continue;
            isFixed = true;
            const QString expected = QLatin1StringView(f.value).toString();
            if (shown != expected)
                note(entry.second, QStringLiteral("%1: %2 is replaced by TuneDeck's %3").arg(key, shown, expected));
        }
        if (!isFixed)
            note(entry.first, QStringLiteral("%1: %2 is not carried over (no job spec field)").arg(key, shown));
    }

    if (sawBf16 || sawFp16) {
        if (sawBf16 && sawFp16)
            noteAt(precisionLine, QStringLiteral("both bf16 and fp16 are set; TuneDeck uses bf16"));
        precision = sawBf16 ? Precision::Bf16 : Precision::Fp16;
    } else {
        precision = Precision::Fp32;
        note(root, QStringLiteral("neither bf16 nor fp16 is set: the trainer runs in fp32 (training.precision fp32)"));
    }
    if (m_result.claim(QStringLiteral("training.precision"), m_source, precisionLine,
            precisionName(m_training.precision), precisionName(*precision)))
        m_training.precision = *precision;

    if (!finetuningType.isEmpty() || quantizationBit) {
        FinetuningMethod method = m_training.method;
        const int at = finetuningLine ? finetuningLine : quantizationLine;
        if (finetuningType == u"full") {
            method = FinetuningMethod::Full;
            if (quantizationBit)
                noteAt(quantizationLine, QStringLiteral("quantization_bit with full finetuning is not carried over"));
        } else if (finetuningType == u"lora" || finetuningType.isEmpty()) {
            // LLaMA-Factory's default finetuning_type is lora; with quantization_bit it is QLoRA.
            method = quantizationBit ? FinetuningMethod::Qlora : FinetuningMethod::Lora;
        } else {
            noteAt(finetuningLine,
                QStringLiteral("finetuning_type %1 is not supported by TuneDeck (lora, full); keeping %2")
                    .arg(finetuningType, methodName(method)));
        }
        if (m_result.claim(
                QStringLiteral("training.method"), m_source, at, methodName(m_training.method), methodName(method)))
            m_training.method = method;
        if (method == FinetuningMethod::Qlora && quantizationBit
            && m_result.claim(QStringLiteral("training.quantization_bit"), m_source, quantizationLine,
                QString::number(m_training.quantizationBit), QString::number(*quantizationBit)))
            m_training.quantizationBit = *quantizationBit;
    }
}

} // namespace

void importTrainConfig(const QByteArray& text, const QString& sourceName, ImportResult& result)
{
    const std::optional<YAML::Node> root = loadYamlMapping(
        text, sourceName, result, QStringLiteral("a LLaMA-Factory training YAML is a mapping of keys to values"));
    if (!root)
        return;
    try {
        TrainImporter(sourceName, result).run(*root);
    } catch (const YAML::Exception& e) {
        // A safety net: no input may abort the program. The message is yaml-cpp's, with its line.
        result.error(sourceName, e.mark.is_null() ? 0 : e.mark.line + 1,
            QStringLiteral("cannot be read as a LLaMA-Factory training YAML: %1").arg(QString::fromStdString(e.msg)));
    }
}

} // namespace TuneDeck
