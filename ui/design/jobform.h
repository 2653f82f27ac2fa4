#pragma once

#include "core/job/jobspecfields.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QScrollArea;

namespace TuneDeck {
class JobDesign;
}

namespace TuneDeck::Ui {

// The wizard's form: one control per field of the job-spec table, grouped as the researcher thinks
// (project, resources, model, training, distribution, environment, resume), bound to one JobDesign
// (STYLE.md item 28). Each control is named after its field path (objectName "slurm.nodes"), has the
// field's label as its accessible name and its help as tooltip, and shows the worst diagnostic on its
// field beside it. The form only wires: values go to JobDesign::setFieldText, everything it shows
// comes back from the design.
class JobForm : public QWidget
{
    Q_OBJECT
public:
    explicit JobForm(JobDesign* design, QWidget* parent = nullptr);

    // The control of a field, or nullptr (fields without a control: profile, extra key lists).
    QWidget* control(const QString& path) const;
    // Scrolls the field into view and gives it the keyboard focus (a click on a diagnostic).
    void focusField(const QString& path);
    // Choices offered for a text field (accounts and QoS from the cluster's probe, GPU types from the
    // profile); the user may still type another value.
    void setSuggestions(const QString& path, const QStringList& values);

private:
    struct Row
    {
        const JobSpecField* field = nullptr;
        QWidget* control = nullptr;
        QLabel* label = nullptr;
        QLabel* marker = nullptr; // the diagnostic icon beside the control
    };

    QWidget* createControl(const JobSpecField& field);
    void loadValue(const Row& row, bool force);
    void loadAll();
    void showDiagnostics();

    JobDesign* m_design;
    QScrollArea* m_scroll = nullptr;
    QList<Row> m_rows;
    QHash<QString, int> m_rowByPath;
    bool m_loading = false;
};

} // namespace TuneDeck::Ui
