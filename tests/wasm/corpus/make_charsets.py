#!/usr/bin/env python3
"""Writes tests/wasm/corpus/charsets.json: display names in 30 charsets, encoded as RFC 2047
words the way real mailers write them, for oracle.test.mjs (CcGuard against Thunderbird's jsmime).

Every byte comes from Python's own codecs (a real encoder), never from a hand-written table;
the words are built the ways mail software actually builds them:

  b, q              one encoded word for the whole name (Outlook, Apple Mail, PHP mailers)
  python-email      Python's email.header.Header (Mailman, Django, most Python senders): for
                    ISO-2022-JP one complete ESC $ B ... ESC ( B run per word (RFC 1468); for
                    Big5 it writes the label big5_tw, which no decoder knows (not `exact`)
  b-split, q-split  adjacent words cut every few bytes, in the middle of a character (or of an
                    ISO-2022-JP escape sequence), as naive splitters do; folded with CRLF SP
  quoted            the encoded word inside a quoted string (common, though RFC 2047 forbids it)
  lang              RFC 2231 `charset*language`
  after-utf8        a UTF-8 word then a word in this charset (two charsets in one name)
  then-atom         an encoded word followed by a plain word (`... Jr.`)
  label-case        mid-character splits whose labels differ in case: jsmime streams only across
                    identical labels, so the split character is lost (not `exact`)
  iso-2022-jp only: bare-after-return (a word returns to ASCII with ESC ( B, the next word carries
                    JIS bytes without ESC $ B: shown as ASCII, not `exact`)

`exact: true` means Thunderbird shows the name exactly as written (`text`); the test checks that
of jsmime, so the oracle is known to show the intended name, not merely the same garbage.

Run (the output is committed; rerun only to change the corpus):
    python3 tests/wasm/corpus/make_charsets.py > tests/wasm/corpus/charsets.json
"""
import base64
import json
import re
import sys
from email.header import Header

# charset label as mailers write it, Python codec, domain, names in that script.
CHARSETS = [
    ("ISO-2022-JP", "iso2022_jp", "example.jp", ["山田 太郎", "株式会社テスト 営業部 佐藤花子"]),
    ("Shift_JIS", "cp932", "example.jp", ["鈴木 一郎", "ｶﾀｶﾅ 高橋 ①"]),
    ("EUC-JP", "euc_jp", "example.jp", ["田中 美咲", "渡辺 健（経理部）"]),
    ("EUC-KR", "euc_kr", "example.kr", ["김철수", "홍길동 (주식회사 한국)"]),
    ("GB18030", "gb18030", "example.cn", ["王小明", "李四 😀 €"]),
    ("GBK", "gbk", "example.cn", ["张伟", "刘德华（销售部）"]),
    ("Big5", "big5", "example.tw", ["陳大文", "臺灣 林志玲"]),
    ("KOI8-R", "koi8_r", "example.ru", ["Пётр Иванов", "Ёлкина Анна Сергеевна"]),
    ("KOI8-U", "koi8_u", "example.ua", ["Тарас Шевченко", "Олексій Ґонта, Їжачок"]),
    ("windows-1250", "cp1250", "example.cz", ["Jiří Dvořák", "Paweł Łukasiewicz „Dyrektor”"]),
    ("windows-1251", "cp1251", "example.ru", ["Сергей Кузнецов", "Ѓорѓи Стојановски"]),
    ("windows-1252", "cp1252", "example.fr", ["François Müller", "Zoë “Z” O’Brien – €"]),
    ("windows-1253", "cp1253", "example.gr", ["Γιώργος Παπαδόπουλος", "Άννα Σταύρου"]),
    ("windows-1255", "cp1255", "example.il", ["דוד כהן", "שָׁלוֹם לוי"]),
    ("windows-1256", "cp1256", "example.eg", ["محمد علي", "فاطمة الزهراء"]),
    ("ISO-8859-2", "iso8859_2", "example.pl", ["Łukasz Żółć", "Dvořák Ľudovít"]),
    ("ISO-8859-5", "iso8859_5", "example.ru", ["Дмитрий Шостакович", "Юлия Ёжикова"]),
    ("ISO-8859-7", "iso8859_7", "example.gr", ["Νίκος Καζαντζάκης", "Ελένη Ψαρρού"]),
    ("ISO-8859-15", "iso8859_15", "example.fr", ["Jérôme Lœuvre", "Šárka Žižková €"]),
    ("windows-1254", "cp1254", "example.tr", ["Şükrü Öztürk", "İsmail Ağaoğlu (Muhasebe)"]),
    ("windows-1257", "cp1257", "example.lv", ["Jānis Bērziņš", "Žydrūnas Ilgauskas"]),
    # Vietnamese in windows-1258 is a base letter plus a combining tone mark (as mailers write it).
    ("windows-1258", "cp1258", "example.vn", ["Nguy\u00ea\u0303n V\u0103n An", "Tr\u00e2\u0300n Thi\u0323"]),
    ("ISO-8859-3", "iso8859_3", "example.mt", ["Ġużeppi Ħabib", "Ċikku Żammit"]),
    ("ISO-8859-4", "iso8859_4", "example.lt", ["Jānis Ozoliņš", "Ģirts Ķēniņš"]),
    ("ISO-8859-6", "iso8859_6", "example.eg", ["محمد علي", "فاطمة الزهراء"]),
    ("ISO-8859-8", "iso8859_8", "example.il", ["דוד כהן", "שרה לוי"]),
    ("ISO-8859-10", "iso8859_10", "example.is", ["Þórður Ŋorðmann", "Ásta Þórðardóttir"]),
    ("ISO-8859-13", "iso8859_13", "example.lt", ["Žydrūnas Ilgauskas", "Rūta Meilutytė"]),
    ("ISO-8859-14", "iso8859_14", "example.wales", ["Siôn Ŵyn", "Ẃyn ap Ŷr"]),
    ("ISO-8859-16", "iso8859_16", "example.ro", ["Ștefan Țiriac", "Ioana Mărgărit"]),
]

# Python's email package names these codecs itself and writes headers in them.
PYTHON_EMAIL = {"ISO-2022-JP": "iso-2022-jp", "EUC-KR": "euc-kr", "GB18030": "gb18030", "GBK": "gbk",
                "Big5": "big5", "KOI8-R": "koi8-r", "KOI8-U": "koi8-u", "windows-1250": "windows-1250",
                "windows-1251": "windows-1251", "windows-1252": "windows-1252",
                "windows-1253": "windows-1253", "windows-1255": "windows-1255",
                "windows-1256": "windows-1256", "ISO-8859-2": "iso-8859-2", "ISO-8859-5": "iso-8859-5",
                "ISO-8859-7": "iso-8859-7", "ISO-8859-15": "iso-8859-15"}

FOLD = "\r\n "
# RFC 2047 §5(3): in a phrase, a Q word may hold only letters, digits and these unencoded.
Q_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def b_word(label, data):
    return f"=?{label}?B?{base64.b64encode(data).decode()}?="


def q_word(label, data):
    out = []
    for byte in data:
        if byte == 0x20:
            out.append("_")
        elif byte in Q_SAFE:
            out.append(chr(byte))
        else:
            out.append(f"={byte:02X}")
    return f"=?{label}?Q?{''.join(out)}?="


def chunks(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)]


def splits_a_character(codec, parts):
    """Whether some cut between parts falls inside a character (or an escape sequence)."""
    return any(_bad_cut(codec, b"".join(parts), len(b"".join(parts[:i]))) for i in range(1, len(parts)))


def entries():
    out = []
    for label, codec, domain, names in CHARSETS:
        for n, text in enumerate(names):
            data = text.encode(codec)
            assert data.decode(codec) == text, (label, text)
            addr = f"<u{n}.{label.lower()}@{domain}>"

            def add(style, phrase, exact=True, shown=text):
                out.append({"charset": label, "style": style, "text": shown, "exact": exact,
                            "header": f"{phrase} {addr}"})

            add("b", b_word(label, data))
            add("q", q_word(label, data))
            if label in PYTHON_EMAIL:
                words = Header(text, PYTHON_EMAIL[label], maxlinelen=40).encode(linesep="\r\n")
                # Python labels Big5 "big5_tw", which no TextDecoder knows: Thunderbird shows
                # such a word as written. Real output all the same, so it stays, not `exact`.
                labels = set(re.findall(r"=\?([^?]*)\?", words))
                add("python-email", words, exact=labels == {PYTHON_EMAIL[label]})
            multibyte = len(data) != len(text)
            size = 5 if multibyte else 4
            b_parts = chunks(data, size)
            q_parts = chunks(data, 3)
            if multibyte:
                assert splits_a_character(codec, b_parts) or splits_a_character(codec, q_parts), (label, text)
            add("b-split", FOLD.join(b_word(label, p) for p in b_parts))
            add("q-split", FOLD.join(q_word(label, p) for p in q_parts))
            add("quoted", f'"{b_word(label, data)}"')
            add("lang", b_word(f"{label}*{domain.rsplit('.', 1)[1]}", data))
            add("after-utf8", f"{q_word('UTF-8', 'Dr. '.encode())} {b_word(label, data)}",
                shown=f"Dr. {text}")
            add("then-atom", f"{q_word(label, data)} Jr.", shown=f"{text} Jr.")
            if multibyte and codec != "iso2022_jp":
                # Same charset, labels in two cases, cut inside a character.
                cut = next(i for i in range(1, len(data)) if _bad_cut(codec, data, i))
                words = [b_word(label.upper(), data[:cut]), b_word(label.lower(), data[cut:])]
                add("label-case", " ".join(words), exact=False)
            if codec == "iso2022_jp":
                # Word 1 returns to ASCII (ESC ( B) mid-name; word 2 has JIS bytes without ESC $ B.
                first, rest = text.split(" ", 1)
                head = first.encode(codec)
                tail = rest.encode(codec)
                assert head.endswith(b"\x1b(B") and tail.startswith(b"\x1b$B")
                bare = tail[3:].split(b"\x1b(B")[0]
                add("bare-after-return", f"{b_word(label, head)} {b_word(label, bare)}", exact=False)
                # Cut inside the escape sequence itself.
                esc = data.index(b"\x1b$B")
                add("split-in-escape", f"{b_word(label, data[:esc + 2])} {b_word(label, data[esc + 2:])}")
    return out


def _bad_cut(codec, data, i):
    """Whether cutting `data` at `i` falls inside a character or an escape sequence."""
    head = data[:i]
    if codec == "iso2022_jp":
        # Python decodes a half pair of JIS bytes silently; count the bytes since ESC $ B.
        last = head.rfind(b"\x1b")
        if last >= 0 and head[last:last + 3] == b"\x1b$B" and (len(head) - last - 3) % 2 == 1:
            return True
    try:
        head.decode(codec)
        return False
    except UnicodeDecodeError:
        return True


if __name__ == "__main__":
    corpus = entries()
    json.dump({"generatedBy": "tests/wasm/corpus/make_charsets.py", "python": sys.version.split()[0],
               "names": corpus}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
