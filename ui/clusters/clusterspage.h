#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace TuneDeck {
class ProfileDraft;
class ClusterSession;
class ClusterSessions;
} // namespace TuneDeck

namespace TuneDeck::Ui {

class ClusterListModel;

// The Clusters page: the bundled profiles, the user's profiles and the hosts of ~/.ssh/config, each
// with its login and connection state; Connect and Disconnect; what the probe learnt about the
// selected cluster (Slurm version, accounts and QoS, GPU types, features). Connecting never blocks:
// the questions come as dialogs (SshPromptHandler).
class ClustersPage : public QWidget
{
    Q_OBJECT
public:
    explicit ClustersPage(ClusterSessions* sessions, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    QPushButton* connectButton() const { return m_connect; }
    QPushButton* newProfileButton() const { return m_newProfile; }
    QPushButton* editProfileButton() const { return m_editProfile; }
    QPushButton* duplicateProfileButton() const { return m_duplicateProfile; }
    ClusterListModel* model() const { return m_model; }
    // The selected cluster's name, or empty.
    QString currentCluster() const;
    void selectCluster(const QString& name);

Q_SIGNALS:
    // The user asked to design a job for this cluster (a profile).
    void designRequested(const QString& profileName);

private:
    void updateDetails();
    void openEditor(const ProfileDraft& draft, const QString& title);

    ClusterSessions* m_sessions;
    ClusterListModel* m_model;
    QTableView* m_view;
    QPushButton* m_connect;
    QPushButton* m_disconnect;
    QPushButton* m_design;
    QPushButton* m_reload;
    QPushButton* m_newProfile;
    QPushButton* m_editProfile;
    QPushButton* m_duplicateProfile;
    QLabel* m_details;
};

} // namespace TuneDeck::Ui
