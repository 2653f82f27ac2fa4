#include "ui/clusters/clusterspage.h"

#include "core/job/profiledraft.h"
#include "core/job/profileregistry.h"
#include "core/remote/clustersessions.h"
#include "ui/clusters/clusterlistmodel.h"
#include "ui/clusters/profileeditordialog.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace TuneDeck::Ui {
namespace {

QString listOrNone(const QStringList& values)
{
    return values.isEmpty() ? ClustersPage::tr("none reported") : values.join(QStringLiteral(", ")).toHtmlEscaped();
}

} // namespace

ClustersPage::ClustersPage(ClusterSessions* sessions, QWidget* parent)
    : QWidget(parent)
    , m_sessions(sessions)
    , m_model(new ClusterListModel(sessions, this))
    , m_view(new QTableView)
    , m_connect(new QPushButton(tr("&Connect")))
    , m_disconnect(new QPushButton(tr("&Disconnect")))
    , m_design(new QPushButton(tr("&New job on this cluster")))
    , m_reload(new QPushButton(tr("Re&load list")))
    , m_newProfile(new QPushButton(tr("New &profile…")))
    , m_editProfile(new QPushButton(tr("&Edit profile…")))
    , m_duplicateProfile(new QPushButton(tr("D&uplicate profile…")))
    , m_details(new QLabel)
{
    m_view->setObjectName(QStringLiteral("clustersView"));
    m_view->setAccessibleName(tr("Clusters"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ClusterListModel::State, QHeaderView::Stretch);
    m_view->setWordWrap(false);
    for (QPushButton* button :
        { m_connect, m_disconnect, m_design, m_reload, m_newProfile, m_editProfile, m_duplicateProfile })
        button->setAccessibleName(button->text().remove(u'&'));
    m_connect->setObjectName(QStringLiteral("connect"));
    m_disconnect->setObjectName(QStringLiteral("disconnect"));
    m_design->setObjectName(QStringLiteral("designOnCluster"));
    m_reload->setObjectName(QStringLiteral("reloadClusters"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_connect);
    buttons->addWidget(m_disconnect);
    buttons->addWidget(m_design);
    buttons->addStretch();
    buttons->addWidget(m_newProfile);
    buttons->addWidget(m_editProfile);
    buttons->addWidget(m_duplicateProfile);
    buttons->addWidget(m_reload);
    m_newProfile->setObjectName(QStringLiteral("newProfile"));
    m_editProfile->setObjectName(QStringLiteral("editProfile"));
    m_duplicateProfile->setObjectName(QStringLiteral("duplicateProfile"));

    auto* detailsBox = new QGroupBox(tr("Cluster"));
    auto* detailsLayout = new QVBoxLayout(detailsBox);
    m_details->setObjectName(QStringLiteral("clusterDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    detailsLayout->addWidget(m_details);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 3);
    layout->addLayout(buttons);
    layout->addWidget(detailsBox, 1);

    connect(m_connect, &QPushButton::clicked, this, [this]() {
        const QString name = currentCluster();
        if (!name.isEmpty())
            m_sessions->session(name)->connectToCluster();
    });
    connect(m_view, &QTableView::activated, m_connect, &QPushButton::click);
    connect(m_disconnect, &QPushButton::clicked, this, [this]() {
        if (ClusterSession* session = m_sessions->find(currentCluster()))
            session->disconnectFromCluster();
    });
    connect(m_design, &QPushButton::clicked, this, [this]() { Q_EMIT designRequested(currentCluster()); });
    connect(m_reload, &QPushButton::clicked, this, [this]() {
        const QString current = currentCluster();
        m_model->reload();
        selectCluster(current);
    });
    connect(m_newProfile, &QPushButton::clicked, this, [this]() {
        openEditor(ProfileDraft::newProfile(m_sessions->userProfilesFolder()), tr("New cluster profile"));
    });
    connect(m_editProfile, &QPushButton::clicked, this, [this]() {
        const int row = m_model->rowOf(currentCluster());
        if (row < 0)
            return;
        QString error;
        if (const std::optional<ProfileDraft> draft = ProfileDraft::edit(m_model->entries().at(row).sourceFile, &error))
            openEditor(*draft, tr("Edit %1").arg(m_model->entries().at(row).title));
        else
            m_details->setText(error.toHtmlEscaped());
    });
    connect(m_duplicateProfile, &QPushButton::clicked, this, [this]() {
        const std::optional<ClusterProfile> profile
            = ProfileRegistry(m_sessions->userProfilesFolder()).find(currentCluster());
        if (profile)
            openEditor(ProfileDraft::duplicate(*profile, m_sessions->userProfilesFolder()),
                tr("Duplicate %1").arg(profile->displayName));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ClustersPage::updateDetails);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ClustersPage::updateDetails);
    auto watch = [this](ClusterSession* session) {
        connect(session, &ClusterSession::probeFinished, this, &ClustersPage::updateDetails);
    };
    for (ClusterSession* session : sessions->sessions())
        watch(session);
    connect(sessions, &ClusterSessions::sessionAdded, this, watch);
    if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, 0));
    updateDetails();
}

void ClustersPage::openEditor(const ProfileDraft& draft, const QString& title)
{
    auto* dialog = new ProfileEditorDialog(draft, title, this);
    connect(dialog, &ProfileEditorDialog::saved, this, [this](const QString&, const QString& name) {
        m_model->reload();
        selectCluster(name);
    });
    dialog->open();
}

QString ClustersPage::currentCluster() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(ClusterListModel::NameRole).toString() : QString();
}

void ClustersPage::selectCluster(const QString& name)
{
    const int row = m_model->rowOf(name);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, 0));
}

void ClustersPage::updateDetails()
{
    const QString name = currentCluster();
    const int row = m_model->rowOf(name);
    if (row < 0) {
        m_details->setText(tr("Pick a cluster above."));
        m_connect->setEnabled(false);
        m_disconnect->setEnabled(false);
        m_design->setEnabled(false);
        m_editProfile->setEnabled(false);
        m_duplicateProfile->setEnabled(false);
        return;
    }
    const ClusterEntry& entry = m_model->entries().at(row);
    const ClusterSession* session = m_sessions->find(name);
    const ClusterSession::State state = session ? session->state() : ClusterSession::State::Disconnected;
    const bool busy = state == ClusterSession::State::Connecting || state == ClusterSession::State::Connected;
    m_connect->setEnabled(entry.resolves && !busy);
    m_disconnect->setEnabled(busy);
    m_design->setEnabled(entry.source != ClusterEntry::Source::SshConfig);
    m_editProfile->setEnabled(entry.source == ClusterEntry::Source::UserProfile);
    m_duplicateProfile->setEnabled(entry.source != ClusterEntry::Source::SshConfig);
    QStringList lines;
    lines.append(tr("<b>%1</b> — %2, from %3")
                     .arg(entry.title.toHtmlEscaped(), entry.login.toHtmlEscaped(),
                         entry.sourceFile.startsWith(u':') ? tr("TuneDeck's bundled profiles")
                                                           : entry.sourceFile.toHtmlEscaped()));
    lines.append(session ? session->stateText().toHtmlEscaped() : tr("Not connected."));
    if (session && session->probe()) {
        const SlurmProbe& probe = *session->probe();
        if (!probe.ok()) {
            lines.append(tr("The cluster could not be probed: %1").arg(probe.error.toHtmlEscaped()));
        } else {
            lines.append(
                tr("Slurm %1, logged in as %2.").arg(probe.slurmVersion.toHtmlEscaped(), probe.user.toHtmlEscaped()));
            QStringList accounts;
            for (const SlurmAssociation& association : probe.associations)
                accounts.append(association.account + u" (QoS " + association.qos.join(u", ") + u')');
            lines.append(tr("Accounts: %1").arg(listOrNone(accounts)));
            lines.append(tr("GPU types: %1").arg(listOrNone(probe.gpuTypes)));
            lines.append(tr("Node features: %1").arg(listOrNone(probe.features)));
        }
    } else if (session && session->isProbing()) {
        lines.append(tr("Asking Slurm for accounts, QoS and GPU types…"));
    }
    m_details->setText(lines.join(QStringLiteral("<br>")));
}

} // namespace TuneDeck::Ui
