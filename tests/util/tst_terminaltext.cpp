// terminalSafe(): nothing that can control a terminal reaches it raw.
#include "core/util/terminaltext.h"

#include <QTest>

using namespace TuneDeck;

class TestTerminalText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void escapes_data();
    void escapes();
    void nothingControlLeft();
};

void TestTerminalText::escapes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("keepNewlines");
    QTest::addColumn<QString>("expected");

    QTest::newRow("retitle") << QStringLiteral("job\x1b]0;pwned\x07") << false << QStringLiteral("job\\e]0;pwned\\a");
    QTest::newRow("clear screen") << QStringLiteral("\x1b[2J\x1b[H") << false << QStringLiteral("\\e[2J\\e[H");
    QTest::newRow("carriage return") << QStringLiteral("ok\rerror") << false << QStringLiteral("ok\\rerror");
    QTest::newRow("newline escaped") << QStringLiteral("a\nb") << false << QStringLiteral("a\\nb");
    QTest::newRow("newline kept") << QStringLiteral("a\nb") << true << QStringLiteral("a\nb");
    QTest::newRow("tab kept") << QStringLiteral("a\tb") << false << QStringLiteral("a\tb");
    QTest::newRow("NUL and DEL") << QString(QChar(0)) + u"x\x7f" << false << QStringLiteral("\\x00x\\x7f");
    QTest::newRow("C1 CSI") << QString(QChar(0x9b)) + u"2J" << false << QStringLiteral("\\u009b2J");
    QTest::newRow("right-to-left override")
        << QStringView(u"txt\u202Egpj.sh").toString() << false << QStringLiteral("txt\\u202egpj.sh");
    QTest::newRow("bidi isolate") << QStringView(u"a\u2066b\u2069").toString() << false
                                  << QStringLiteral("a\\u2066b\\u2069");
    QTest::newRow("line separator") << QStringView(u"a\u2028b").toString() << false << QStringLiteral("a\\u2028b");
    QTest::newRow("ordinary text untouched")
        << QStringView(u"Llama 3 70B \u2014 caf\u00e9, \u65e5\u672c, C:\\x").toString() << false
        << QStringView(u"Llama 3 70B \u2014 caf\u00e9, \u65e5\u672c, C:\\x").toString();
}

void TestTerminalText::escapes()
{
    QFETCH(QString, text);
    QFETCH(bool, keepNewlines);
    QFETCH(QString, expected);
    QCOMPARE(terminalSafe(text, keepNewlines), expected);
}

void TestTerminalText::nothingControlLeft()
{
    // Every code point of the BMP: no C0 (but tab), DEL, C1 or bidi control survives.
    QString all;
    for (char32_t c = 1; c < 0x10000; ++c) {
        if (!QChar::isSurrogate(c))
            all += QChar(char16_t(c));
    }
    const QString safe = terminalSafe(all);
    for (const QChar c : safe) {
        const char16_t u = c.unicode();
        QVERIFY(u == u'\t' || u >= 0x20);
        QVERIFY(u != 0x7f && !(u >= 0x80 && u <= 0x9f));
        QVERIFY(u != 0x202e && u != 0x2066 && u != 0x200f && u != 0x2028);
    }
}

QTEST_GUILESS_MAIN(TestTerminalText)
#include "tst_terminaltext.moc"
