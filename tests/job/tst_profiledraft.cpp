// Adding, editing and duplicating cluster profiles from the window: the same loader, the same errors.
#include "core/job/profiledraft.h"
#include "core/job/profileregistry.h"
#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;

class TestProfileDraft : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void newProfileSavesIntoTheUserFolder()
    {
        QTemporaryDir folder;
        ProfileDraft draft = ProfileDraft::newProfile(folder.path());
        QVERIFY2(draft.isValid(), qPrintable(draft.errors().join(u'\n')));
        QCOMPARE(draft.profile()->name, QStringLiteral("my-cluster-2"));
        QCOMPARE(draft.targetPath(), folder.filePath(QStringLiteral("my-cluster-2.yaml")));
        QCOMPARE(draft.save(), QString());
        const ProfileRegistry registry(folder.path());
        QVERIFY(registry.find(QStringLiteral("my-cluster-2")));
        QVERIFY(registry.errors().isEmpty());
        // A second new profile gets the next free name.
        QCOMPARE(ProfileDraft::newProfile(folder.path()).profile()->name, QStringLiteral("my-cluster-3"));
    }

    void errorsAreTheLoadersWithTheirLine()
    {
        QTemporaryDir folder;
        ProfileDraft draft = ProfileDraft::newProfile(folder.path());
        QByteArray text = draft.text();
        text.replace("gpus: 4", "gpus: four");
        draft.setText(text);
        QVERIFY(!draft.isValid());
        QVERIFY2(draft.errors().front().startsWith(u"new profile:"), qPrintable(draft.errors().front()));
        QVERIFY(draft.errors().front().contains(u"node.gpus"));
        QVERIFY(!draft.save().isEmpty());
        QVERIFY(QDir(folder.path()).isEmpty()); // nothing written
    }

    void unsafeNameAndClashesAreRefused()
    {
        QTemporaryDir folder;
        ProfileDraft draft = ProfileDraft::newProfile(folder.path());
        QByteArray text = draft.text();
        draft.setText(text.replace("name: my-cluster-2", "name: ../../etc/x"));
        QVERIFY(!draft.isValid());
        QVERIFY2(draft.errors().join(u'\n').contains(u"name: '../../etc/x' is not a valid profile name"),
            qPrintable(draft.errors().join(u'\n')));
        Test::writeFile(folder.filePath(QStringLiteral("taken.yaml")), "x");
        draft.setText(text.replace("name: ../../etc/x", "name: taken"));
        QVERIFY(draft.errors().join(u'\n').contains(u"exists already"));
        QCOMPARE(Test::readFile(folder.filePath(QStringLiteral("taken.yaml"))), QByteArray("x"));
    }

    void duplicateAndEdit()
    {
        QTemporaryDir folder;
        const ClusterProfile baskerville = ProfileRegistry(QString()).find(QStringLiteral("baskerville")).value();
        ProfileDraft copy = ProfileDraft::duplicate(baskerville, folder.path());
        QVERIFY2(copy.isValid(), qPrintable(copy.errors().join(u'\n')));
        QCOMPARE(copy.profile()->name, QStringLiteral("baskerville-2"));
        QCOMPARE(copy.profile()->displayName, QStringLiteral("Baskerville (copy)"));
        QCOMPARE(copy.profile()->gpuTypes.size(), baskerville.gpuTypes.size());
        QCOMPARE(copy.save(), QString());

        const QString path = folder.filePath(QStringLiteral("baskerville-2.yaml"));
        std::optional<ProfileDraft> edited = ProfileDraft::edit(path);
        QVERIFY(edited);
        QByteArray text = edited->text();
        QVERIFY(text.contains("max_nodes: 46\n"));
        edited->setText(text.replace("max_nodes: 46\n", "max_nodes: 57\n"));
        QVERIFY2(edited->isValid(), qPrintable(edited->errors().join(u'\n'))); // editing keeps its own name
        QCOMPARE(edited->targetPath(), path);
        QCOMPARE(edited->save(), QString());
        QCOMPARE(ProfileRegistry(folder.path()).find(QStringLiteral("baskerville-2"))->maxNodes, 57);

        QString error;
        QVERIFY(!ProfileDraft::edit(folder.filePath(QStringLiteral("missing.yaml")), &error));
        QVERIFY(error.contains(u"missing.yaml"));
    }
};

QTEST_GUILESS_MAIN(TestProfileDraft)
#include "tst_profiledraft.moc"
