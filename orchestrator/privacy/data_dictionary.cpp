// The data dictionary written beside every research export, in Japanese and English.
#include <orchestrator/privacy/research_export.h>

namespace cyrange::privacy {
namespace {

// One row of a Markdown table: three cells.
struct Row {
  std::string a, b, c;
};

std::string table(const Row& header, const std::vector<Row>& rows) {
  std::string out = "| " + header.a + " | " + header.b + " | " + header.c + " |\n|---|---|---|\n";
  for (const auto& r : rows) out += "| " + r.a + " | " + r.b + " | " + r.c + " |\n";
  return out + "\n";
}

std::string level_name(int level, const char* exact, const char* coarse) {
  return level == 0 ? exact : level == 1 ? coarse : "*";
}

const Row kColumnHeader = {"列 / column", "型 / type", "説明 / description"};

std::string about(const std::string& k) {
  return "## この書き出しについて / About this export\n\n"
         "- 研究への利用に同意し、同意を撤回していない受講者のデータだけを含みます。\n"
         "  Only trainees who gave research consent for this exercise and did not withdraw it "
         "are included.\n"
         "- 氏名・メールアドレス・ログイン名は含みません。受講者とチームの ID は、この書き出しの"
         "ためだけに作った鍵（保存していません）による HMAC-SHA256 の値です。別の書き出しとは"
         "結び付けられません。\n"
         "  Names, e-mail addresses and login names are not included. Trainee and team ids are "
         "HMAC-SHA256 values under a key made for this export alone and not kept; they do not "
         "match those of any other export.\n"
         "- 所属組織の種別・規模・地域は、同じ組み合わせの受講者が " +
         k + " 人以上になるまで粗くしてあります。それでも " + k +
         " 人未満になる受講者は、データごと除外しました。\n"
         "  The type, size and region of the trainee's organisation are generalised until every "
         "combination is shared by at least " +
         k +
         " trainees; trainees who would still be in a smaller group are left out entirely.\n"
         "- 時刻は演習開始（演習時計の開始、なければ最初の記録）からの経過ミリ秒です。\n"
         "  Times are milliseconds since the start of the exercise (its clock's start, else the "
         "first recorded event).\n"
         "- コマンド・回答・報告書の文面などの内容は記録されたとおりです。パスワード入力は記録の"
         "時点で消去されています。再識別を試みてはいけません。\n"
         "  Typed content (commands, answers, report text) is as recorded; password input was "
         "removed when it was recorded. Do not attempt to re-identify anyone.\n\n";
}

}  // namespace

std::string data_dictionary(const ResearchExportOptions& options,
                            const ResearchExportReport& report) {
  const std::string ext(to_string(options.format));
  const std::string k = std::to_string(options.k);
  const auto& g = report.levels;
  std::string d = "# データ辞書 / Data dictionary\n\n";
  d += "演習 / Exercise: `" + options.exercise + "`  \n形式 / Format: " + ext + "  \n";
  d += "k = " + k +
       "; 出力した受講者 / trainees exported: " + std::to_string(report.trainees_exported) +
       "; 除外 / suppressed: " + std::to_string(report.trainees_suppressed) +
       "; イベント / events: " + std::to_string(report.events) + "\n\n";
  d += about(k);

  d += "## 一般化の水準 / Generalisation used\n\n";
  d +=
      table({"属性 / attribute", "水準 / level", "値 / values"},
            {{"organisation_type", level_name(g.type, "種別 / exact type", "部門 / sector"),
              "central_government, prefectural_government, municipality, independent_agency, "
              "critical_infrastructure, private_company, education, healthcare, other → "
              "government, business, other_sector → *"},
             {"organisation_size", level_name(g.size, "職員数の区分 / staff band", "大小 / coarse"),
              "1-99, 100-299, 300-999, 1000-4999, 5000+ → 1-299, 300+ → *"},
             {"organisation_region",
              level_name(g.region, "都道府県 / prefecture", "地方 / regional block"),
              "tokyo, osaka, … → hokkaido, tohoku, kanto, chubu, kinki, chugoku, shikoku, "
              "kyushu_okinawa → *"}});
  d += "`unknown`: 所属組織が登録されていない / the organisation is not registered.\n\n";

  d += "## trainees." + ext + "\n\n1 行 = 1 受講者 / one row per trainee.\n\n";
  d += table(
      kColumnHeader,
      {{"trainee", "string", "受講者の仮 ID（この書き出し限り） / trainee id, this export only"},
       {"team", "string", "チームの仮 ID（この書き出し限り） / team id, this export only"},
       {"organisation_type", "string", "所属組織の種別（一般化済み） / type, generalised"},
       {"organisation_size", "string",
        "所属組織の職員数の区分（一般化済み） / staff band, generalised"},
       {"organisation_region", "string", "所属組織の所在地（一般化済み） / location, generalised"},
       {"events", "integer", "この受講者のイベント数 / events of the trainee"}});

  d += "## events." + ext + "\n\n1 行 = 1 操作、時刻順 / one row per action, in time order.\n\n";
  d += table(kColumnHeader,
             {{"trainee", "string", "trainees の trainee / the trainee (see trainees)"},
              {"team", "string", "操作時のチーム / the team at the time of the action"},
              {"kind", "string", "操作の種類（下表） / kind of action (below)"},
              {"t_ms", "integer", "演習開始からのミリ秒 / milliseconds since the exercise start"},
              {"data", "object",
               "種類ごとの項目（下表）。CSV では JSON 文字列 / the kind's fields; JSON text in "
               "CSV"}});
  d += table(
      {"kind", "data", "説明 / description"},
      {{"key", "key, modifiers, text or redacted",
        "キー入力。秘密の入力は redacted=true で text なし / a key; secret input has "
        "redacted=true and no text"},
       {"mouse_move", "x, y, coalesced",
        "マウス移動（coalesced 件をまとめたもの） / pointer movement, `coalesced` merged"},
       {"click", "x, y, button, modifiers", "クリック / a click"},
       {"scroll", "dx, dy", "スクロール / scrolling"},
       {"focus", "target", "ウィンドウ・タブの切り替え先 / window or tab brought to front"},
       {"command", "host, line or redacted", "端末に入力したコマンド / a terminal command"},
       {"answer", "question_id, answer", "回答の提出 / an answer submitted"},
       {"hint", "hint_id", "ヒントの利用 / a hint requested"},
       {"report_edit", "section, chars_added, chars_removed", "報告書の編集量 / report editing"},
       {"idle", "duration_ms", "操作のない時間 / a period without input"}});

  d += "## " + std::string(kManifestFile) +
       "\n\n書き出しの条件と件数、監査ログの番号 / the export's parameters, counts and the id of "
       "its audit-log entry.\n";
  return d;
}

}  // namespace cyrange::privacy
