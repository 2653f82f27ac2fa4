#include "ui/design/jobform.h"

#include "core/job/jobdesign.h"
#include "ui/widgets/namedcombobox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

namespace TuneDeck::Ui {
namespace {

// Text fields whose usual values are known: an editable combo box offers them.
const QHash<QString, QStringList>& fixedSuggestions()
{
    static const QHash<QString, QStringList> suggestions {
        { QStringLiteral("fsdp.sharding_strategy"),
            { QStringLiteral("FULL_SHARD"), QStringLiteral("SHARD_GRAD_OP"), QStringLiteral("HYBRID_SHARD"),
                QStringLiteral("NO_SHARD") } },
        { QStringLiteral("fsdp.state_dict_type"),
            { QStringLiteral("SHARDED_STATE_DICT"), QStringLiteral("FULL_STATE_DICT") } },
        { QStringLiteral("fsdp.auto_wrap_policy"),
            { QStringLiteral("TRANSFORMER_BASED_WRAP"), QStringLiteral("SIZE_BASED_WRAP"),
                QStringLiteral("NO_WRAP") } },
        { QStringLiteral("fsdp.backward_prefetch"),
            { QStringLiteral("BACKWARD_PRE"), QStringLiteral("BACKWARD_POST"), QStringLiteral("NO_PREFETCH") } },
        { QStringLiteral("slurm.account"), {} },
        { QStringLiteral("slurm.qos"), {} },
        { QStringLiteral("slurm.gpu_type"), {} },
    };
    return suggestions;
}

// The help of a number field says what 0 means ("(0: read from the model name)"): the spin box shows
// that instead of a bare 0.
QString zeroMeaning(const JobSpecField& field)
{
    static const QRegularExpression pattern(QStringLiteral(R"(\(0: ([^)]*)\))"));
    const QRegularExpressionMatch match = pattern.match(fieldHelp(field));
    return match.hasMatch() && field.minimum <= 0 ? match.captured(1) : QString();
}

QString withUnit(const JobSpecField& field)
{
    const QString unit = QString::fromUtf8(field.unit);
    const QString help = fieldHelp(field);
    return unit.isEmpty() ? help : JobForm::tr("%1 (%2)").arg(help, unit);
}

} // namespace

JobForm::JobForm(JobDesign* design, QWidget* parent)
    : QWidget(parent)
    , m_design(design)
{
    auto* content = new QWidget;
    auto* columns = new QVBoxLayout(content);
    const FieldGroup groups[] = { FieldGroup::Project, FieldGroup::Resources, FieldGroup::Model, FieldGroup::Training,
        FieldGroup::Distribution, FieldGroup::Environment, FieldGroup::Resume };
    for (FieldGroup group : groups) {
        auto* box = new QGroupBox(fieldGroupTitle(group));
        auto* form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        for (const JobSpecField& field : jobSpecFields()) {
            if (field.group != group || field.kind == FieldKind::KeyValues)
                continue;
            Row row;
            row.field = &field;
            row.control = createControl(field);
            row.control->setObjectName(field.path);
            // The accessible name is the visible label, for screen readers and AT-SPI-driven tests; a
            // check box has no text of its own here, so the buddy alone would not name it.
            row.control->setAccessibleName(fieldLabel(field));
            row.control->setAccessibleDescription(fieldHelp(field));
            row.control->setToolTip(withUnit(field));
            if (auto* combo = qobject_cast<QComboBox*>(row.control); combo && combo->lineEdit())
                combo->lineEdit()->setAccessibleName(fieldLabel(field));
            // QLineEdit's clear button is a child widget with no name of its own.
            for (QWidget* child : row.control->findChildren<QWidget*>())
                if (child->inherits("QLineEditIconButton"))
                    child->setAccessibleName(tr("Clear %1").arg(fieldLabel(field)));
            row.label = new QLabel(fieldLabel(field));
            row.label->setBuddy(row.control);
            row.marker = new QLabel;
            row.marker->setFixedWidth(20);
            // Hidden while there is nothing to say (an empty label would still be read out), its
            // space kept so the fields do not jump when a marker appears.
            QSizePolicy keep = row.marker->sizePolicy();
            keep.setRetainSizeWhenHidden(true);
            row.marker->setSizePolicy(keep);
            row.marker->hide();
            row.marker->setAccessibleName(tr("%1: no problem").arg(fieldLabel(field)));
            auto* line = new QHBoxLayout;
            line->setContentsMargins(0, 0, 0, 0);
            line->addWidget(row.control, 1);
            line->addWidget(row.marker);
            form->addRow(row.label, line);
            m_rowByPath.insert(field.path, int(m_rows.size()));
            m_rows.append(row);
        }
        columns->addWidget(box);
    }
    columns->addStretch();

    m_scroll = new QScrollArea;
    m_scroll->setWidget(content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scroll);

    connect(m_design, &JobDesign::fieldChanged, this, [this](const QString& path) {
        if (path.isEmpty())
            loadAll();
        else if (const auto it = m_rowByPath.constFind(path); it != m_rowByPath.cend())
            loadValue(m_rows.at(*it), false);
    });
    connect(m_design, &JobDesign::renderedChanged, this, &JobForm::showDiagnostics);
    loadAll();
}

QWidget* JobForm::createControl(const JobSpecField& field)
{
    const QString path = field.path;
    switch (field.kind) {
    case FieldKind::Integer: {
        auto* spin = new QSpinBox;
        spin->setRange(int(std::max<double>(field.minimum, std::numeric_limits<int>::min())),
            int(std::min<double>(field.maximum, std::numeric_limits<int>::max())));
        if (*field.unit)
            spin->setSuffix(u' ' + QString::fromUtf8(field.unit));
        spin->setAccelerated(true);
        spin->setSpecialValueText(zeroMeaning(field));
        connect(spin, &QSpinBox::valueChanged, this, [this, path](int value) {
            if (!m_loading)
                m_design->setField(path, value);
        });
        return spin;
    }
    case FieldKind::Number: {
        auto* spin = new QDoubleSpinBox;
        spin->setDecimals(3);
        spin->setSpecialValueText(zeroMeaning(field));
        spin->setRange(field.minimum, field.maximum);
        if (*field.unit)
            spin->setSuffix(u' ' + QString::fromUtf8(field.unit));
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, path](double value) {
            if (!m_loading)
                m_design->setField(path, value);
        });
        return spin;
    }
    case FieldKind::Boolean: {
        auto* check = new QCheckBox;
        connect(check, &QCheckBox::toggled, this, [this, path](bool on) {
            if (!m_loading)
                m_design->setField(path, on);
        });
        return check;
    }
    case FieldKind::Choice: {
        auto* combo = new NamedComboBox;
        combo->addItems(field.choices);
        connect(combo, &QComboBox::currentTextChanged, this, [this, path](const QString& text) {
            if (!m_loading)
                m_design->setFieldText(path, text);
        });
        return combo;
    }
    case FieldKind::Text:
    case FieldKind::TextList:
    case FieldKind::KeyValues:
        break;
    }
    if (const auto it = fixedSuggestions().constFind(path); it != fixedSuggestions().cend()) {
        auto* combo = new NamedComboBox;
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        combo->addItems(*it);
        connect(combo, &QComboBox::currentTextChanged, this, [this, path](const QString& text) {
            if (!m_loading)
                m_design->setFieldText(path, text);
        });
        return combo;
    }
    auto* edit = new QLineEdit;
    edit->setClearButtonEnabled(true);
    if (field.kind == FieldKind::TextList)
        edit->setPlaceholderText(tr("comma-separated"));
    connect(
        edit, &QLineEdit::textEdited, this, [this, path](const QString& text) { m_design->setFieldText(path, text); });
    return edit;
}

QWidget* JobForm::control(const QString& path) const
{
    const auto it = m_rowByPath.constFind(path);
    return it == m_rowByPath.cend() ? nullptr : m_rows.at(*it).control;
}

void JobForm::focusField(const QString& path)
{
    QWidget* widget = control(path);
    if (!widget)
        return;
    m_scroll->ensureWidgetVisible(widget);
    widget->setFocus(Qt::OtherFocusReason);
}

void JobForm::setSuggestions(const QString& path, const QStringList& values)
{
    auto* combo = qobject_cast<QComboBox*>(control(path));
    if (!combo || !combo->isEditable())
        return;
    m_loading = true;
    const QString current = combo->currentText();
    combo->clear();
    combo->addItems(values);
    combo->setCurrentText(current);
    m_loading = false;
}

void JobForm::loadValue(const Row& row, bool force)
{
    const QString path = row.field->path;
    const QString text = m_design->fieldText(path);
    m_loading = true;
    if (auto* spin = qobject_cast<QSpinBox*>(row.control)) {
        spin->setValue(m_design->fieldValue(path).toInt());
    } else if (auto* spin = qobject_cast<QDoubleSpinBox*>(row.control)) {
        spin->setValue(m_design->fieldValue(path).toDouble());
    } else if (auto* check = qobject_cast<QCheckBox*>(row.control)) {
        check->setChecked(m_design->fieldValue(path).toBool());
    } else if (auto* combo = qobject_cast<QComboBox*>(row.control)) {
        if (combo->currentText() != text)
            combo->setCurrentText(text);
    } else if (auto* edit = qobject_cast<QLineEdit*>(row.control)) {
        // The field being typed in keeps its text (and cursor), a refused entry included: its diagnostic
        // says why. A whole new design (force) replaces it.
        if (edit->text() != text && (force || !edit->hasFocus()))
            edit->setText(text);
    }
    m_loading = false;
}

void JobForm::loadAll()
{
    for (const Row& row : std::as_const(m_rows))
        loadValue(row, true);
    // Empty fields show what the profile will fill in.
    const JobSpec effective = m_design->submitSpec();
    for (const Row& row : std::as_const(m_rows)) {
        if (auto* edit = qobject_cast<QLineEdit*>(row.control))
            edit->setPlaceholderText(fieldText(effective, *row.field));
    }
}

void JobForm::showDiagnostics()
{
    const JobSpec effective = m_design->submitSpec();
    for (const Row& row : std::as_const(m_rows)) {
        const Diagnostic* diagnostic = m_design->diagnosticFor(row.field->path);
        const bool applies = row.field->appliesTo(effective);
        row.control->setEnabled(applies);
        row.label->setEnabled(applies);
        if (!diagnostic || diagnostic->severity == Severity::Info) {
            row.marker->hide();
            // Still in the accessibility tree (as invisible): without a name of its own an empty label
            // takes its group's title there.
            row.marker->setAccessibleName(tr("%1: no problem").arg(fieldLabel(*row.field)));
            continue;
        }
        row.marker->show();
        const bool error = diagnostic->severity == Severity::Error;
        const QIcon icon = style()->standardIcon(error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning);
        row.marker->setPixmap(icon.pixmap(16, 16));
        row.marker->setToolTip(diagnostic->message);
        row.marker->setAccessibleName(
            error ? tr("Error: %1").arg(diagnostic->message) : tr("Warning: %1").arg(diagnostic->message));
        if (auto* edit = qobject_cast<QLineEdit*>(row.control)) {
            if (edit->placeholderText() != fieldText(effective, *row.field))
                edit->setPlaceholderText(fieldText(effective, *row.field));
        }
    }
}

} // namespace TuneDeck::Ui
