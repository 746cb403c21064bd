#include <orchestrator/scenario/source_text.h>

#include <algorithm>
#include <cstdio>
#include <regex>
#include <vector>

#include <yaml-cpp/depthguard.h>

#include <orchestrator/scenario/diagnostic.h>

namespace cyrange::scenario {
namespace {

using Byte = unsigned char;

/// Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), 0 when the bytes there are not one.
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const Byte b = static_cast<Byte>(s[i]);
  auto trail = [&](std::size_t k, Byte lo = 0x80, Byte hi = 0xBF) {
    if (i + k >= s.size()) return false;
    const Byte t = static_cast<Byte>(s[i + k]);
    return t >= lo && t <= hi;
  };
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return trail(1) ? 2 : 0;
  if (b == 0xE0) return trail(1, 0xA0) && trail(2) ? 3 : 0;
  if (b == 0xED) return trail(1, 0x80, 0x9F) && trail(2) ? 3 : 0;
  if (b >= 0xE1 && b <= 0xEF) return trail(1) && trail(2) ? 3 : 0;
  if (b == 0xF0) return trail(1, 0x90) && trail(2) && trail(3) ? 4 : 0;
  if (b >= 0xF1 && b <= 0xF3) return trail(1) && trail(2) && trail(3) ? 4 : 0;
  if (b == 0xF4) return trail(1, 0x80, 0x8F) && trail(2) && trail(3) ? 4 : 0;
  return 0;
}

/// The code point of the valid sequence of `length` bytes at `i`.
unsigned code_point(const std::string& s, std::size_t i, std::size_t length) {
  const Byte b = static_cast<Byte>(s[i]);
  unsigned cp = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<Byte>(s[i + k]) & 0x3F);
  return cp;
}

/// True when every non-ASCII byte of `s` forms a Shift_JIS (CP932) character and there is
/// at least one double-byte character.
bool looks_like_shift_jis(const std::string& s) {
  bool double_byte = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Byte b = static_cast<Byte>(s[i]);
    if (b < 0x80 || (b >= 0xA1 && b <= 0xDF)) continue;  // ASCII, half-width katakana
    if (!((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC)) || i + 1 >= s.size()) return false;
    const Byte t = static_cast<Byte>(s[++i]);
    if (t < 0x40 || t == 0x7F || t > 0xFC) return false;
    double_byte = true;
  }
  return double_byte;
}

/// True when every non-ASCII byte of `s` forms an EUC-JP character.
bool looks_like_euc_jp(const std::string& s) {
  bool any = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Byte b = static_cast<Byte>(s[i]);
    if (b < 0x80) continue;
    if (!((b >= 0xA1 && b <= 0xFE) || b == 0x8E) || i + 1 >= s.size()) return false;
    const Byte t = static_cast<Byte>(s[++i]);
    if (t < 0xA1 || t > 0xFE) return false;
    any = true;
  }
  return any;
}

std::string hex_byte(Byte b) {
  char out[8];
  std::snprintf(out, sizeof out, "0x%02X", b);
  return out;
}

std::string code_point_name(unsigned cp) {
  char out[12];
  std::snprintf(out, sizeof out, "U+%04X", cp);
  return out;
}

/// How to re-save a file of `encoding` as UTF-8, in the two languages.
std::string resave_fix(const std::string& encoding, const std::string& iconv_name) {
  return both(
      "re-save the file as UTF-8: in VS Code, \"Reopen with Encoding\" " + encoding +
          " then \"Save with Encoding\" UTF-8; in Notepad, \"Save As\" with encoding "
          "UTF-8; or run `iconv -f " +
          iconv_name + " -t UTF-8 FILE > FILE.new` and replace the file with FILE.new",
      "ファイルを UTF-8 で保存し直してください（VS Code では「エンコード付きで再度開く」で " +
          encoding +
          " を選んでから「エンコード付きで保存」で UTF-8、メモ帳では「名前を付けて保存」"
          "で文字コード UTF-8、または `iconv -f " +
          iconv_name + " -t UTF-8 FILE > FILE.new` の結果で置き換え）");
}

/// What a yaml-cpp parser message means, in plain words, and what to do: {what_en,
/// what_ja, fix_en, fix_ja}. Matched on the start of the message (yaml-cpp's ErrorMsg texts).
struct SyntaxHelp {
  const char* message;
  const char* what_en;
  const char* what_ja;
  const char* fix_en;
  const char* fix_ja;
};

const std::vector<SyntaxHelp>& syntax_help() {
  static const std::vector<SyntaxHelp> help = {
      {"end of map flow not found", "a `{` opened here or before is not closed by `}`",
       "ここまでに開いた `{` が `}` で閉じられていません",
       "close it with `}`; a value containing `,`, `:` or `}` inside braces needs quotes",
       "`}` で閉じてください。波括弧の中で `,`・`:`・`}` を含む値は引用符で囲みます"},
      {"end of sequence flow not found", "a `[` opened here or before is not closed by `]`",
       "ここまでに開いた `[` が `]` で閉じられていません",
       "close it with `]`; a value containing `,` or `]` inside brackets needs quotes",
       "`]` で閉じてください。角括弧の中で `,`・`]` を含む値は引用符で囲みます"},
      {"end of map not found", "a mapping's keys are not lined up: one is indented differently",
       "マッピングのキーの字下げがそろっていません",
       "start every key of one mapping in the same column, with spaces",
       "同じマッピングのキーはすべて同じ桁から（スペースで字下げして）書いてください"},
      {"end of sequence not found",
       "a list's items are not lined up: one `- ` is indented differently",
       "リストの項目の字下げがそろっていません",
       "start every `- ` of one list in the same column, with spaces",
       "同じリストの `- ` はすべて同じ桁から（スペースで字下げして）書いてください"},
      {"illegal map value",
       "a `key: value` appears where no key can start, often a value holding `: ` that is not "
       "quoted, or a key indented deeper than the keys beside it",
       "キーを書けない位置に `キー: 値` があります。`: ` を含む値が引用符で囲まれていないか、"
       "キーの字下げが隣のキーより深いことがよくあります",
       "put the value in quotes (`title: \"a: b\"`) or indent the key like its siblings",
       "値を引用符で囲む（`title: \"a: b\"`）か、キーの字下げを隣のキーに合わせてください"},
      {"illegal map key", "a `?` or a key appears where a mapping cannot start",
       "マッピングを始められない位置にキーがあります",
       "check the indentation of this line and the one above",
       "この行と前の行の字下げを確認してください"},
      {"illegal block entry", "a list item `- ` appears where a list cannot start",
       "リストを始められない位置に項目 `- ` があります",
       "put the list on the lines under its key, indented, one `- ` per item",
       "リストはキーの次の行から字下げして、1項目ずつ `- ` で書いてください"},
      {"illegal flow end", "a `]` or `}` closes a bracket that was never opened",
       "開いていない括弧を `]` または `}` で閉じています",
       "remove it, or add the `[` or `{` it closes",
       "削除するか、対応する `[` や `{` を書いてください"},
      {"illegal EOF in scalar", "a quoted text is not closed before the end of the file",
       "引用符で始めた文字列がファイルの終わりまで閉じられていません", "add the closing quote",
       "閉じる引用符を書いてください"},
      {"illegal tab", "a tab is used for indentation; YAML indents with spaces only",
       "字下げにタブが使われています。YAML の字下げはスペースだけです",
       "replace the tabs at the start of the line with spaces",
       "行頭のタブをスペースに置き換えてください"},
      {"unknown escape character", "a double-quoted text has a backslash escape YAML does not know",
       "二重引用符の文字列に YAML にないエスケープ（バックスラッシュ）があります",
       "write `\\\\` for a backslash, or use single quotes, in which a backslash is plain",
       "バックスラッシュは `\\\\` "
       "と書くか、単一引用符で囲んでください（その中では普通の文字です）"},
      {"unknown token", "a value starts with a character YAML reserves (`@` or a back-quote)",
       "値が YAML の予約文字（`@` やバッククォート）で始まっています", "put the value in quotes",
       "値を引用符で囲んでください"},
      {"the referenced anchor is not defined", "an alias `*name` has no anchor `&name` before it",
       "別名 `*name` に対応するアンカー `&name` が前にありません",
       "define the anchor first, or write the value itself",
       "先にアンカーを定義するか、値そのものを書いてください"},
  };
  return help;
}

/// 1-based character column of byte `byte` of line `line` (0-based) of `text`.
int character_column(const std::string& text, int line, int byte) {
  std::size_t start = 0;
  for (int i = 0; i < line && start != std::string::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return byte + 1;
  int column = 0;
  for (int i = 0; i < byte && start + i < text.size() && text[start + i] != '\n'; ++i) {
    if ((static_cast<Byte>(text[start + i]) & 0xC0) != 0x80) ++column;
  }
  return column + 1;
}

/// A place in a text: 0-based line and byte in that line.
struct Place {
  int line = 0;
  std::size_t byte = 0;
};

/// Where the outermost `[` or `{` of a flow collection nesting at least `limit` deep
/// starts; nullopt when no flow collection of `text` nests that deep.
std::optional<Place> deep_flow_start(const std::string& text, int limit) {
  int depth = 0;
  char quote = 0;
  Place here, outer;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++here.line;
      line_start = i + 1;
    } else if (quote) {
      if (quote == '"' && c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (depth > 0 && (c == '"' || c == '\'')) {
      quote = c;
    } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;  // a comment
    } else if (c == '[' || c == '{') {
      if (depth == 0) outer = Place{here.line, i - line_start};
      if (++depth >= limit) return outer;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

/// Line `line` (0-based) of `text`, without its line feed.
std::string line_of(const std::string& text, int line) {
  std::size_t start = 0;
  for (int i = 0; i < line && start != std::string::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return {};
  return text.substr(start, text.find('\n', start) - start);
}

/// The key written before byte `byte` of `line` (`title` in `  title: [[[`), or "".
std::string key_before(const std::string& line, std::size_t byte) {
  static const std::regex key(R"(^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:\s*$)");
  std::smatch m;
  const std::string before = line.substr(0, std::min(byte, line.size()));
  return std::regex_match(before, m, key) ? m[1].str() : std::string();
}

}  // namespace

std::variant<YAML::Node, TextProblem> read_yaml(const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp stops at a fixed depth and reports where its scanner was (often the end of
    // the file), with the message "bad file": point at the value that nests instead.
    Place at{std::max(e.mark.line, 0), static_cast<std::size_t>(std::max(e.mark.column, 0))};
    if (auto start = deep_flow_start(text, std::max(1, e.depth() / 2))) at = *start;
    const std::string key = key_before(line_of(text, at.line), at.byte);
    const std::string depth = std::to_string(e.depth());
    const std::string en = key.empty() ? "this value" : "'" + key + "'";
    const std::string ja = key.empty() ? "この値" : "'" + key + "'";
    return TextProblem{
        at.line + 1, character_column(text, at.line, static_cast<int>(at.byte)),
        both(en +
                 ": expected a value of the scenario format, found lists or mappings nested "
                 "more than " +
                 depth + " levels deep, deeper than cyrange reads YAML",
             ja + " のリストやマッピングの入れ子が " + depth +
                 " 段を超えています（cyrange が YAML を読める深さを超えています）"),
        both("write the value the key expects: most keys take a single value such as "
             "`name: web`, lists hold values or mappings one or two levels deep",
             "キーが求める値を書いてください。多くのキーは `name: web` のような単一の値をとり、"
             "リストの中身も値か1〜2段のマッピングです")};
  } catch (const YAML::ParserException& e) {
    std::string what_en = "the YAML cannot be read: " + e.msg,
                what_ja = "YAML として読めません（" + e.msg + "）";
    std::string fix_en =
        "fix the YAML syntax here: the indentation, a missing ':' or space after it, or an "
        "unclosed quote or bracket";
    std::string fix_ja =
        "ここの YAML の構文（字下げ、':' やその後の空白の抜け、閉じていない"
        "引用符や括弧）を直してください";
    // A tab in the indentation makes yaml-cpp report the next token ("illegal map value"):
    // say what is really wrong, at the tab.
    const std::string line = line_of(text, e.mark.line);
    const std::size_t indent = line.find_first_not_of(" \t");
    const std::size_t tab = line.find('\t');
    const bool tab_indent = tab != std::string::npos && tab < indent;
    int column = character_column(text, e.mark.line, e.mark.column);
    if (tab_indent) column = character_column(text, e.mark.line, static_cast<int>(tab));
    for (const auto& help : syntax_help()) {
      const bool tab_help = std::string(help.message) == "illegal tab";
      if (tab_indent ? !tab_help : e.msg.rfind(help.message, 0) != 0) continue;
      what_en += ": " + std::string(help.what_en);
      what_ja += ": " + std::string(help.what_ja);
      fix_en = help.fix_en;
      fix_ja = help.fix_ja;
      break;
    }
    return TextProblem{e.mark.line + 1, column, both(what_en, what_ja), both(fix_en, fix_ja)};
  } catch (const YAML::Exception& e) {
    return TextProblem{
        1, 1, both("the YAML cannot be read: " + e.msg, "YAML として読めません（" + e.msg + "）"),
        both("fix the YAML syntax of the file", "ファイルの YAML の構文を直してください")};
  }
}

std::variant<YAML::Node, TextProblem> read_yaml_file(const std::string& bytes) {
  if (auto problem = check_text(bytes)) return *problem;
  return read_yaml(strip_bom(bytes));
}

std::string format_problem(const std::string& file, const TextProblem& problem) {
  return file + ":" + std::to_string(problem.line) + ":" + std::to_string(problem.column) +
         ": error: " + problem.what + "; " + problem.fix;
}

std::string strip_bom(const std::string& bytes) {
  return bytes.rfind("\xEF\xBB\xBF", 0) == 0 ? bytes.substr(3) : bytes;
}

std::optional<TextProblem> check_text(const std::string& raw) {
  if (raw.size() >= 2 &&
      ((static_cast<Byte>(raw[0]) == 0xFF && static_cast<Byte>(raw[1]) == 0xFE) ||
       (static_cast<Byte>(raw[0]) == 0xFE && static_cast<Byte>(raw[1]) == 0xFF))) {
    return TextProblem{
        1, 1,
        both("the file is saved as UTF-16 (it starts with a UTF-16 byte order "
             "mark); scenario files are UTF-8",
             "ファイルが UTF-16 で保存されています（UTF-16 のバイト順マークで始まって"
             "います）。シナリオファイルは UTF-8 です"),
        resave_fix("UTF-16", "UTF-16")};
  }
  const std::string bytes = strip_bom(raw);
  int line = 1, column = 1;
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t length = utf8_length(bytes, i);
    const std::string place = std::to_string(line) + ":" + std::to_string(column);
    if (length == 0) {
      const Byte b = static_cast<Byte>(bytes[i]);
      std::string guess_en = "it may be Latin-1 or another legacy encoding",
                  guess_ja = "Latin-1 など別の文字コードの可能性があります";
      std::string encoding = "the file's encoding", iconv_name = "ENCODING";
      if (looks_like_shift_jis(bytes)) {
        guess_en = "it looks like Japanese saved as Shift_JIS (CP932), as Windows editors do";
        guess_ja = "Windows のエディタが使う Shift_JIS（CP932）で保存された日本語のようです";
        encoding = "Shift JIS";
        iconv_name = "CP932";
      } else if (looks_like_euc_jp(bytes)) {
        guess_en = "it looks like Japanese saved as EUC-JP";
        guess_ja = "EUC-JP で保存された日本語のようです";
        encoding = "EUC-JP";
        iconv_name = "EUC-JP";
      }
      return TextProblem{line, column,
                         both("the file is not valid UTF-8: byte " + hex_byte(b) + " at " + place +
                                  " does not start a UTF-8 character; " + guess_en,
                              "ファイルが正しい UTF-8 ではありません（" + place + " のバイト " +
                                  hex_byte(b) + " は UTF-8 の文字になりません）。" + guess_ja),
                         resave_fix(encoding, iconv_name)};
    }
    const unsigned cp = code_point(bytes, i, length);
    if (cp == 0) {
      return TextProblem{
          line, column,
          both("the file contains a NUL byte (0x00) at " + place + "; a scenario file is text",
               "ファイルの " + place +
                   " に NUL バイト（0x00）があります。シナリオファイルは"
                   "テキストです"),
          both(
              "remove it; if the file has many of them it was saved as UTF-16 or is not a text "
              "file: re-save it as UTF-8",
              "削除してください。多数ある場合は UTF-16 で保存されたかテキストではないファイルです。"
              "UTF-8 で保存し直してください")};
    }
    const bool control = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F ||
                         (cp >= 0x80 && cp <= 0x9F && cp != 0x85) || cp == 0xFEFF || cp == 0xFFFE ||
                         cp == 0xFFFF;
    if (control) {
      return TextProblem{
          line, column,
          both("the file contains the control character " + code_point_name(cp) + " at " + place +
                   ", which YAML does not allow in a file",
               "ファイルの " + place + " に YAML で使えない制御文字 " + code_point_name(cp) +
                   " があります"),
          both("delete it (editors often show it as a box or not at all; an escape such as \\t "
               "inside a double-quoted string writes a special character)",
               "削除してください（エディタでは四角形で表示されるか見えないことがあります。特殊な"
               "文字は二重引用符の文字列の中で \\t のようなエスケープで書けます）")};
    }
    if (bytes[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace cyrange::scenario
