#include "ui/design/diagnosticsmodel.h"

#include <QApplication>
#include <QStyle>

namespace TuneDeck::Ui {

void DiagnosticsModel::setDiagnostics(const Diagnostics& diagnostics)
{
    if (diagnostics == m_diagnostics)
        return; // no reset while the user looks at an unchanged list
    beginResetModel();
    m_diagnostics = diagnostics;
    // Errors first, then warnings, then notes; the validator's order within each.
    std::stable_sort(m_diagnostics.begin(), m_diagnostics.end(),
        [](const Diagnostic& a, const Diagnostic& b) { return int(a.severity) < int(b.severity); });
    endResetModel();
}

int DiagnosticsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_diagnostics.size());
}

QVariant DiagnosticsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Diagnostic& diagnostic = m_diagnostics.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return diagnostic.field.isEmpty() ? diagnostic.message : QString(diagnostic.field + u": " + diagnostic.message);
    case Qt::ToolTipRole:
        return diagnostic.message;
    case Qt::AccessibleTextRole:
        return QString(severityName(diagnostic.severity) + u": " + diagnostic.field + u": " + diagnostic.message);
    case Qt::DecorationRole: {
        const QStyle::StandardPixmap icon = diagnostic.severity == Severity::Error ? QStyle::SP_MessageBoxCritical
            : diagnostic.severity == Severity::Warning                             ? QStyle::SP_MessageBoxWarning
                                                                                   : QStyle::SP_MessageBoxInformation;
        return QApplication::style()->standardIcon(icon);
    }
    case FieldRole:
        return diagnostic.field;
    case SeverityRole:
        return int(diagnostic.severity);
    default:
        return {};
    }
}

} // namespace TuneDeck::Ui
