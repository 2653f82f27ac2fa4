#include "core/telemetry/linesplitter.h"

#include <QTest>

using TuneDeck::Telemetry::LineSplitter;

class TestLineSplitter : public QObject
{
    Q_OBJECT
private:
    static QByteArrayList split(const QList<QByteArray>& chunks, bool cr)
    {
        LineSplitter s(cr);
        QByteArrayList lines;
        const auto add = [&lines](QByteArrayView l, qint64) { lines << l.toByteArray(); };
        for (const QByteArray& c : chunks)
            s.feed(c, add);
        s.finish(add);
        return lines;
    }

private Q_SLOTS:
    void lines_data()
    {
        QTest::addColumn<QList<QByteArray>>("chunks");
        QTest::addColumn<bool>("cr");
        QTest::addColumn<QByteArrayList>("expected");
        QTest::newRow("simple") << QList<QByteArray> { "a\nb\n" } << false << QByteArrayList { "a", "b" };
        QTest::newRow("partial held back")
            << QList<QByteArray> { "a\nb", "c\n" } << false << QByteArrayList { "a", "bc" };
        QTest::newRow("no final newline") << QList<QByteArray> { "a\nb" } << false << QByteArrayList { "a", "b" };
        QTest::newRow("crlf") << QList<QByteArray> { "a\r\nb\r\n" } << false << QByteArrayList { "a", "b" };
        QTest::newRow("crlf split") << QList<QByteArray> { "a\r", "\nb\n" } << false << QByteArrayList { "a", "b" };
        QTest::newRow("cr mode") << QList<QByteArray> { "1\r2\r3\n4" } << true << QByteArrayList { "1", "2", "3", "4" };
        QTest::newRow("cr mode crlf split")
            << QList<QByteArray> { "x\r", "\ny\r", "z" } << true << QByteArrayList { "x", "y", "z" };
        QTest::newRow("cr mode lone cr at end then text")
            << QList<QByteArray> { "x\r", "y", "\n" } << true << QByteArrayList { "x", "y" };
        QTest::newRow("empty lines kept") << QList<QByteArray> { "\n\na\n" } << false << QByteArrayList { "", "", "a" };
    }
    void lines()
    {
        QFETCH(QList<QByteArray>, chunks);
        QFETCH(bool, cr);
        QFETCH(QByteArrayList, expected);
        QCOMPARE(split(chunks, cr), expected);
    }

    void byteByByteEqualsWhole()
    {
        const QByteArray text = "one\r\ntwo\rthree\n\nfour\r\r\nfive";
        for (bool cr : { false, true }) {
            QList<QByteArray> bytes;
            for (char c : text)
                bytes << QByteArray(1, c);
            QCOMPARE(split(bytes, cr), split({ text }, cr));
        }
    }
};

QTEST_GUILESS_MAIN(TestLineSplitter)
#include "tst_linesplitter.moc"
