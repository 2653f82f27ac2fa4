#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace TuneDeck {
class JobDesign;
class ProfileRegistry;
} // namespace TuneDeck

namespace TuneDeck::Ui {

class DiagnosticsModel;
class JobForm;
class MemoryBar;

// The New job page: the form on the left; on the right what the design adds up to (GPUs, GPU memory,
// GPU-hours, the memory estimate per GPU, the training plan against the time limit), the three
// generated files and the diagnostics, all following the JobDesign as the user types. Submit is
// enabled only while the design has no error; what it submits is what the preview shows.
class JobDesignPage : public QWidget
{
    Q_OBJECT
public:
    JobDesignPage(JobDesign* design, const ProfileRegistry* profiles, QWidget* parent = nullptr);

    JobForm* form() const { return m_form; }
    QPushButton* submitButton() const { return m_submit; }
    QComboBox* clusterCombo() const { return m_cluster; }
    QListView* diagnosticsView() const { return m_diagnostics; }
    // The preview of one of the three files (0 job.sbatch, 1 accelerate.yaml, 2 train.yaml).
    QPlainTextEdit* preview(int file) const;
    // Shown under Submit while a submission runs ("Uploading…") or after it failed.
    void setSubmitStatus(const QString& text, bool busy);
    // Picks the cluster (a profile name) in the combo box, loading its profile into the design.
    void selectCluster(const QString& profileName);

Q_SIGNALS:
    void submitRequested();

private:
    void showRender();

    JobDesign* m_design;
    const ProfileRegistry* m_profiles;
    JobForm* m_form;
    QComboBox* m_cluster;
    QLabel* m_summary;
    MemoryBar* m_memory;
    QLabel* m_plan;
    QTabWidget* m_files;
    QList<QPlainTextEdit*> m_previews;
    DiagnosticsModel* m_diagnosticsModel;
    QListView* m_diagnostics;
    QPushButton* m_submit;
    QLabel* m_submitStatus;
    bool m_submitting = false;
};

} // namespace TuneDeck::Ui
