<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>QObject</name>
    <message>
        <source>Connection lost — reconnecting…</source>
        <translation>接続が切れました — 再接続しています…</translation>
    </message>
</context>
<context>
    <name>cyrange::console::AdjustScoreDialog</name>
    <message>
        <source>Adjust a score</source>
        <translation>得点の調整</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（なし）</translation>
    </message>
    <message>
        <source>Why the score changes (required; the team sees it)</source>
        <translation>得点を変える理由（必須。チームにも表示されます）</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>cyrange::console::AttentionModel</name>
    <message>
        <source>%1
Raised at %2 (exercise time).</source>
        <translation>%1
%2（演習時刻）に発生。</translation>
    </message>
</context>
<context>
    <name>cyrange::console::BoardModel</name>
    <message>
        <source>Rank</source>
        <translation>順位</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合計</translation>
    </message>
    <message>
        <source>Solved</source>
        <translation>達成</translation>
    </message>
    <message>
        <source>Hints</source>
        <translation>ヒント</translation>
    </message>
    <message>
        <source>Wrong answers</source>
        <translation>誤答</translation>
    </message>
</context>
<context>
    <name>cyrange::console::CohortModel</name>
    <message>
        <source>queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>準備中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>期限切れ</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>queued (#%1)</source>
        <translation>待機中（%1 番目）</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失敗: %1</translation>
    </message>
    <message>
        <source>The server has not loaded this run&apos;s scores (it ended before the server started), so its review items cannot be listed.</source>
        <translation>サーバーがこの実行の得点をまだ読み込んでいないため（サーバーの起動前に止まった実行です）、レビュー待ちの項目を表示できません。</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>受講者</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>コース</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得点</translation>
    </message>
    <message>
        <source>Hints</source>
        <translation>ヒント</translation>
    </message>
    <message>
        <source>Waiting for review</source>
        <translation>レビュー待ち</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>最終変化</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <source>Solved</source>
        <translation>達成した目標</translation>
    </message>
</context>
<context>
    <name>cyrange::console::CohortPanel</name>
    <message>
        <source>All courses</source>
        <translation>すべてのコース</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>すべての状態</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Grade…</source>
        <translation>採点…</translation>
    </message>
    <message>
        <source>Grade the selected item as met, beside the trainee&apos;s incident report</source>
        <translation>選んだ項目を、受講者のインシデント報告書を見ながら「満たしている」と採点します</translation>
    </message>
    <message>
        <source>Course:</source>
        <translation>コース:</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状態:</translation>
    </message>
    <message>
        <source>%1 of %2 runs shown</source>
        <translation>%2 件中 %1 件の実行を表示</translation>
    </message>
    <message>
        <source>Select a run to see the rubric items that wait for review.</source>
        <translation>実行を選ぶと、レビュー待ちの評価項目が表示されます。</translation>
    </message>
    <message>
        <source>%1&apos;s run of %2 has not started; nothing waits for review.</source>
        <translation>%1 さんの %2 の実行はまだ始まっていません。レビュー待ちの項目はありません。</translation>
    </message>
    <message>
        <source>No rubric item of %1&apos;s run of %2 waits for review.</source>
        <translation>%1 さんの %2 の実行に、レビュー待ちの評価項目はありません。</translation>
    </message>
    <message>
        <source>Waiting for review in %1&apos;s run of %2 (team %3):</source>
        <translation>%1 さんの %2 の実行でレビューを待つ項目（チーム %3）:</translation>
    </message>
    <message>
        <source>Review an item of %1&apos;s run</source>
        <translation>%1 さんの実行の項目をレビュー</translation>
    </message>
</context>
<context>
    <name>cyrange::console::CreateExerciseDialog</name>
    <message>
        <source>New exercise</source>
        <translation>新しい演習</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <source>empty: derived from the scenario</source>
        <translation>空欄: シナリオから決定</translation>
    </message>
    <message>
        <source>empty: random</source>
        <translation>空欄: ランダム</translation>
    </message>
    <message>
        <source>Scenario file</source>
        <translation>シナリオファイル</translation>
    </message>
    <message>
        <source>Exercise id</source>
        <translation>演習 ID</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>Choose a scenario file.</source>
        <translation>シナリオファイルを選んでください。</translation>
    </message>
    <message>
        <source>Validate</source>
        <translation>検証</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>作成</translation>
    </message>
    <message>
        <source>Scenarios (*.yaml *.yml)</source>
        <translation>シナリオ (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>Cannot read %1; choose the scenario file.</source>
        <translation>%1 を読めません。シナリオファイルを選んでください。</translation>
    </message>
    <message numerus="yes">
        <source>Valid: %n warning(s). Nothing is created until you press Create.</source>
        <translation>
            <numerusform>有効です（警告 %n 件）。「作成」を押すまで何も作成されません。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s): fix them in the file, then validate again.</source>
        <translation>
            <numerusform>エラー %n 件: ファイルを修正してから、もう一度検証してください。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::DashboardView</name>
    <message>
        <source>Acknowledge</source>
        <translation>確認済みにする</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>すべての出来事</translation>
    </message>
    <message>
        <source>Solves</source>
        <translation>達成</translation>
    </message>
    <message>
        <source>Wrong answers</source>
        <translation>誤答</translation>
    </message>
    <message>
        <source>Hints</source>
        <translation>ヒント</translation>
    </message>
    <message>
        <source>Injects</source>
        <translation>攻撃・イベント</translation>
    </message>
    <message>
        <source>Services down</source>
        <translation>サービス停止</translation>
    </message>
    <message>
        <source>Hosts not ready</source>
        <translation>準備できていないホスト</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>Teams × objectives</source>
        <translation>チーム × 目標</translation>
    </message>
    <message>
        <source>Scoreboard</source>
        <translation>スコアボード</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>出来事</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>要注意</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全チーム</translation>
    </message>
    <message>
        <source>Team details: %1</source>
        <translation>チームの詳細: %1</translation>
    </message>
</context>
<context>
    <name>cyrange::console::ExerciseListModel</name>
    <message>
        <source>provisioning</source>
        <translation>構築中</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>準備完了</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message numerus="yes">
        <source>%1
%2 · %3 · %n team(s)</source>
        <translation>
            <numerusform>%1
%2 · %3 · %n チーム</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::FeedModel</name>
    <message>
        <source>Solved</source>
        <translation>達成</translation>
    </message>
    <message>
        <source>Partly solved</source>
        <translation>一部達成</translation>
    </message>
    <message>
        <source>Wrong answer</source>
        <translation>誤答</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>ヒント</translation>
    </message>
    <message>
        <source>Solution revealed</source>
        <translation>解答公開</translation>
    </message>
    <message>
        <source>Score adjusted</source>
        <translation>得点調整</translation>
    </message>
    <message>
        <source>Service down</source>
        <translation>サービス停止</translation>
    </message>
    <message>
        <source>Inject fired</source>
        <translation>攻撃・イベント発生</translation>
    </message>
    <message>
        <source>Provisioning failed</source>
        <translation>構築失敗</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>出来事</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>%1
Double-click to replay the evidence (%2).</source>
        <translation>%1
ダブルクリックで根拠の記録を再生します(%2)。</translation>
    </message>
</context>
<context>
    <name>cyrange::console::GradeDialog</name>
    <message>
        <source>Grade a report item</source>
        <translation>報告書の評価項目を採点</translation>
    </message>
    <message>
        <source>Why the item is met (required)</source>
        <translation>項目を満たす理由（必須）</translation>
    </message>
    <message>
        <source>Where: report section, or terminal recording and time</source>
        <translation>根拠の場所: 報告書の節、または端末記録と時刻</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Rubric item</source>
        <translation>評価項目</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>所見</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>根拠</translation>
    </message>
    <message>
        <source>Loading the report of %1…</source>
        <translation>%1 の報告書を読み込んでいます…</translation>
    </message>
    <message>
        <source>%1 has not saved a report yet.</source>
        <translation>%1 はまだ報告書を保存していません。</translation>
    </message>
    <message>
        <source>Version %1, submitted by %2</source>
        <translation>第%1版（%2 が提出）</translation>
    </message>
    <message>
        <source>Version %1, a draft saved by %2</source>
        <translation>第%1版（%2 が保存した下書き）</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>時系列</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>影響範囲</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Measures taken</source>
        <translation>実施した対処</translation>
    </message>
    <message>
        <source>Recommendations</source>
        <translation>再発防止の提言</translation>
    </message>
    <message>
        <source>Other notes</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>e.g. report v%1, section Cause</source>
        <translation>例: 報告書 第%1版「原因」</translation>
    </message>
    <message>
        <source>Use the moment replayed in Recordings (%1)</source>
        <translation>「端末の記録」で再生中の時点を使う(%1)</translation>
    </message>
    <message>
        <source>The feed then opens the recording at this moment on a double-click</source>
        <translation>出来事の一覧でダブルクリックすると、記録がこの時点から開きます</translation>
    </message>
</context>
<context>
    <name>cyrange::console::JoinCodesDialog</name>
    <message>
        <source>Join codes for %1</source>
        <translation>%1 の参加コード</translation>
    </message>
    <message>
        <source>Hand each team its code. Trainees type it into cyrange-trainee with the server address. Creating new codes makes the earlier ones of this exercise stop working; the server keeps only their hashes, so write the codes down before closing.</source>
        <translation>各チームにコードを渡してください。受講者はサーバのアドレスとともに cyrange-trainee に入力します。新しいコードを作ると、この演習の以前のコードは使えなくなります。サーバはコードのハッシュしか保存しないため、閉じる前にコードを控えてください。</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>コード</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <source>Create codes</source>
        <translation>コードを作成</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Creating codes…</source>
        <translation>コードを作成しています…</translation>
    </message>
    <message numerus="yes">
        <source>%n code(s) created.</source>
        <translation>
            <numerusform>%n 件のコードを作成しました。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::MainWindow</name>
    <message>
        <source>cyrange console — %1</source>
        <translation>cyrange 講師コンソール — %1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>New exercise…</source>
        <translation>新しい演習…</translation>
    </message>
    <message>
        <source>End exercise…</source>
        <translation>演習を終了…</translation>
    </message>
    <message>
        <source>Exercises</source>
        <translation>演習</translation>
    </message>
    <message>
        <source>Fire now</source>
        <translation>今すぐ実行</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>スキップ</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>タイムライン</translation>
    </message>
    <message>
        <source>Skipped by %1</source>
        <translation>%1 がスキップ</translation>
    </message>
    <message>
        <source>Provisioning</source>
        <translation>環境構築</translation>
    </message>
    <message>
        <source>Range checks: %1 of %2 passed.</source>
        <translation>環境チェック: %2 件中 %1 件合格。</translation>
    </message>
    <message>
        <source>Exercise clock %1</source>
        <translation>演習時計 %1</translation>
    </message>
    <message>
        <source>Exercise clock %1 (x%2%3)</source>
        <translation>演習時計 %1（%2 倍速%3）</translation>
    </message>
    <message>
        <source>, paused</source>
        <translation>、一時停止中</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>ダッシュボード</translation>
    </message>
    <message>
        <source>Exercise</source>
        <translation>演習</translation>
    </message>
    <message>
        <source>Start clock</source>
        <translation>時計を開始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Exercise seconds per real second</source>
        <translation>実時間 1 秒あたりの演習秒数</translation>
    </message>
    <message>
        <source>Set speed</source>
        <translation>速度を設定</translation>
    </message>
    <message>
        <source>Push hint…</source>
        <translation>ヒントを配信…</translation>
    </message>
    <message>
        <source>Adjust score…</source>
        <translation>得点を調整…</translation>
    </message>
    <message>
        <source>Grade report…</source>
        <translation>報告書を採点…</translation>
    </message>
    <message>
        <source>Run checks now</source>
        <translation>今すぐ環境チェック</translation>
    </message>
    <message>
        <source>Board: live</source>
        <translation>ボード: 公開</translation>
    </message>
    <message>
        <source>Board: frozen</source>
        <translation>ボード: 凍結</translation>
    </message>
    <message>
        <source>Board: hidden</source>
        <translation>ボード: 非表示</translation>
    </message>
    <message>
        <source>What trainees see of the scoreboard</source>
        <translation>受講者に見せるスコアボード</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>レポートを出力…</translation>
    </message>
    <message>
        <source>Creating the exercise; its ranges are being built.</source>
        <translation>演習を作成しています。演習環境を構築中です。</translation>
    </message>
    <message>
        <source>End exercise</source>
        <translation>演習の終了</translation>
    </message>
    <message>
        <source>End exercise %1? Every team&apos;s range is removed; scores and recordings are kept.</source>
        <translation>演習 %1 を終了しますか？ 各チームの演習環境は削除されます。得点と記録は残ります。</translation>
    </message>
    <message>
        <source>The scenario of this exercise is not loaded yet.</source>
        <translation>この演習のシナリオはまだ読み込まれていません。</translation>
    </message>
    <message>
        <source>Export the after-action report</source>
        <translation>事後分析レポートの出力</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>レポートを書き出しました: %1</translation>
    </message>
    <message>
        <source>Join codes…</source>
        <translation>参加コード…</translation>
    </message>
    <message>
        <source>Recordings</source>
        <translation>端末の記録</translation>
    </message>
    <message>
        <source>Self-paced</source>
        <translation>自習</translation>
    </message>
    <message>
        <source>Resetting the range of team %1; the Provisioning tab shows its progress.</source>
        <translation>チーム %1 の演習環境を初期状態に戻しています。進み具合は「準備」タブに表示されます。</translation>
    </message>
    <message>
        <source>Reset a range…</source>
        <translation>演習環境を初期化…</translation>
    </message>
    <message>
        <source>Reset a team&apos;s range</source>
        <translation>チームの演習環境を初期状態に戻す</translation>
    </message>
    <message>
        <source>Every guest of the team&apos;s range goes back to the state it had when the range was ready; what the team changed in its guests is lost. Scores, reports and the timeline are kept.

Team:</source>
        <translation>チームの演習環境のすべてのゲストを、環境の準備ができた時点の状態に戻します。チームがゲスト内で変更した内容は失われます。得点、報告書、タイムラインはそのまま残ります。

チーム:</translation>
    </message>
    <message>
        <source>Choose option…</source>
        <translation>選択肢を選ぶ…</translation>
    </message>
    <message>
        <source>Reveal solution…</source>
        <translation>解答を公開…</translation>
    </message>
    <message>
        <source>Select a decision step in the timeline first.</source>
        <translation>先にタイムラインで意思決定のステップを選んでください。</translation>
    </message>
    <message>
        <source>Choose a branch</source>
        <translation>分岐の選択</translation>
    </message>
    <message>
        <source>Decision %1 of team %2: the branch of the chosen option runs, the others are skipped.</source>
        <translation>チーム %2 の意思決定 %1: 選んだ選択肢の分岐が実行され、他の分岐はスキップされます。</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>設定(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <source>The range of team %1 is reset and ready.</source>
        <translation>チーム %1 の環境のリセットが完了し、使用できます。</translation>
    </message>
    <message>
        <source>Resetting the range of team %1 failed: %2</source>
        <translation>チーム %1 の環境のリセットに失敗しました: %2</translation>
    </message>
</context>
<context>
    <name>cyrange::console::MatrixModel</name>
    <message>
        <source>locked</source>
        <translation>未開放</translation>
    </message>
    <message>
        <source>open</source>
        <translation>挑戦可能</translation>
    </message>
    <message>
        <source>wrong answers</source>
        <translation>誤答あり</translation>
    </message>
    <message>
        <source>hint taken</source>
        <translation>ヒント使用</translation>
    </message>
    <message>
        <source>partly solved</source>
        <translation>一部達成</translation>
    </message>
    <message>
        <source>solved</source>
        <translation>達成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n point(s)</source>
        <translation>
            <numerusform>%1、%n 点</numerusform>
        </translation>
    </message>
    <message>
        <source>%1% of the parts answered</source>
        <translation>パートの %1% に回答</translation>
    </message>
    <message numerus="yes">
        <source>%n wrong answer(s)</source>
        <translation>
            <numerusform>誤答 %n 回</numerusform>
        </translation>
    </message>
    <message>
        <source>Hints taken: %1</source>
        <translation>使用したヒント: %1</translation>
    </message>
    <message>
        <source>Solved at %1 (exercise time)</source>
        <translation>%1 に達成（演習時刻）</translation>
    </message>
    <message>
        <source>The solution was revealed to the team.</source>
        <translation>解答がチームに公開されました。</translation>
    </message>
    <message>
        <source>Team %1, objective %2: %3</source>
        <translation>チーム %1、目標 %2: %3</translation>
    </message>
</context>
<context>
    <name>cyrange::console::ProvisioningModel</name>
    <message>
        <source>waiting</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>defining</source>
        <translation>定義中</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>起動中</translation>
    </message>
    <message>
        <source>waiting for services</source>
        <translation>サービス待ち</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>準備完了</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>(whole range)</source>
        <translation>（環境全体）</translation>
    </message>
    <message>
        <source>✗ %1</source>
        <translation>✗ %1</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>進捗</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>preparing the range</source>
        <translation>レンジを準備中</translation>
    </message>
    <message>
        <source>%1 of %2 hosts ready</source>
        <translation>%2 台中 %1 台が準備完了</translation>
    </message>
    <message numerus="yes">
        <source>All %n host(s) ready</source>
        <translation>
            <numerusform>%n 台すべて準備完了</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::PushHintDialog</name>
    <message>
        <source>Push a hint</source>
        <translation>ヒントの配信</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全チーム</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>ヒント</translation>
    </message>
    <message>
        <source>Push hint</source>
        <translation>ヒントを配信</translation>
    </message>
    <message numerus="yes">
        <source>Each of the %n team(s) loses %1 points; a team that already took this hint is not charged again.</source>
        <translation>
            <numerusform>%n チームがそれぞれ %1 点を失います。このヒントを取得済みのチームは再度減点されません。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::RecordingListModel</name>
    <message>
        <source>The recording reached the server&apos;s size limit; what came after was not kept.</source>
        <translation>記録がサーバーの上限に達したため、それ以降は保存されていません。</translation>
    </message>
    <message>
        <source>(erased)</source>
        <translation>（削除済み）</translation>
    </message>
    <message>
        <source>open</source>
        <translation>記録中</translation>
    </message>
    <message>
        <source>ended, truncated</source>
        <translation>終了（打ち切り）</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>長さ</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
</context>
<context>
    <name>cyrange::console::RecordingPlayer</name>
    <message>
        <source>Play</source>
        <translation>再生</translation>
    </message>
    <message>
        <source>1x</source>
        <translation>1倍</translation>
    </message>
    <message>
        <source>2x</source>
        <translation>2倍</translation>
    </message>
    <message>
        <source>8x</source>
        <translation>8倍</translation>
    </message>
    <message>
        <source>Instant</source>
        <translation>即時</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>再生速度</translation>
    </message>
    <message>
        <source>Position in the recording</source>
        <translation>記録内の位置</translation>
    </message>
    <message>
        <source>Watching live, read-only</source>
        <translation>ライブで閲覧中（読み取り専用）</translation>
    </message>
    <message>
        <source>Replay, read-only</source>
        <translation>再生（読み取り専用）</translation>
    </message>
    <message>
        <source>The terminal has closed; replay, read-only</source>
        <translation>端末は閉じられました。再生（読み取り専用）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>ライブ</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>The watch has ended; replay of what was seen, read-only</source>
        <translation>視聴は終了しました。見た範囲の再生です（読み取り専用）</translation>
    </message>
</context>
<context>
    <name>cyrange::console::RecordingsPanel</name>
    <message>
        <source>All teams</source>
        <translation>すべてのチーム</translation>
    </message>
    <message>
        <source>Follows the team selected on the dashboard</source>
        <translation>ダッシュボードで選んだチームに連動します</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>再生</translation>
    </message>
    <message>
        <source>Watch live</source>
        <translation>ライブで見る</translation>
    </message>
    <message>
        <source>Team:</source>
        <translation>チーム:</translation>
    </message>
    <message>
        <source>%1 / %2 on %3, typed by %4</source>
        <translation>%1 / %2 の %3（入力: %4）</translation>
    </message>
    <message>
        <source>(erased)</source>
        <translation>（削除済み）</translation>
    </message>
    <message>
        <source>Ask the team to let you follow the terminal while they work in it (read-only); it starts once a trainee of the team allows it</source>
        <translation>操作中の端末を見せてもらうようチームに依頼します（読み取り専用）。チームの受講者が許可すると始まります</translation>
    </message>
    <message>
        <source>Stop watching</source>
        <translation>視聴をやめる</translation>
    </message>
    <message>
        <source>Asking team %1 to let you watch…</source>
        <translation>チーム %1 に視聴を依頼しています…</translation>
    </message>
    <message>
        <source>Waiting for a trainee of team %1 to allow you to watch.</source>
        <translation>チーム %1 の受講者が視聴を許可するのを待っています。</translation>
    </message>
    <message>
        <source>Team %1 allowed you to watch (%2 said yes). Read-only; they see that you watch and can stop it.</source>
        <translation>チーム %1 が視聴を許可しました（%2 さんが承諾）。読み取り専用です。チームには視聴中であることが表示され、いつでも止められます。</translation>
    </message>
    <message>
        <source>Team %1 declined to be watched (%2).</source>
        <translation>チーム %1 は視聴を断りました（%2 さん）。</translation>
    </message>
    <message>
        <source>The watch of team %1 has ended (ended by %2).</source>
        <translation>チーム %1 の視聴は終了しました（%2 さんが終了）。</translation>
    </message>
    <message>
        <source>The evidence %1 names a recording that is not (or no longer) available.</source>
        <translation>根拠 %1 の記録は見つからないか、すでにありません。</translation>
    </message>
</context>
<context>
    <name>cyrange::console::RevealSolutionDialog</name>
    <message>
        <source>Reveal a solution</source>
        <translation>解答の公開</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全チーム</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>解答</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>公開</translation>
    </message>
    <message>
        <source>No objective of this scenario has a solution text.</source>
        <translation>このシナリオには解答文のある目標がありません。</translation>
    </message>
    <message>
        <source>Every chosen team solved this objective already: the reveal costs nothing.</source>
        <translation>選んだチームはすべてこの目標を達成済みです。公開しても失点はありません。</translation>
    </message>
    <message numerus="yes">
        <source>%n team(s) have not solved this objective yet (%1): solving it after the reveal earns them no points, so each can lose up to %2 points.</source>
        <translation>
            <numerusform>%n チームがこの目標をまだ達成していません（%1）。公開後に達成しても得点にならないため、各チームは最大 %2 点を失います。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::ReviewListModel</name>
    <message>
        <source>Objective</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Rubric item</source>
        <translation>評価項目</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>点数</translation>
    </message>
</context>
<context>
    <name>cyrange::console::ScoreChart</name>
    <message>
        <source>Score over time</source>
        <translation>得点の推移</translation>
    </message>
    <message>
        <source>exercise minutes</source>
        <translation>演習時間（分）</translation>
    </message>
    <message>
        <source>points</source>
        <translation>点</translation>
    </message>
</context>
<context>
    <name>cyrange::console::TeamActivityModel</name>
    <message>
        <source>Command</source>
        <translation>コマンド</translation>
    </message>
    <message>
        <source>Answer sent</source>
        <translation>解答を送信</translation>
    </message>
    <message>
        <source>Hint asked</source>
        <translation>ヒントを要求</translation>
    </message>
    <message>
        <source>Report edited</source>
        <translation>報告書を編集</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>操作なし</translation>
    </message>
    <message>
        <source>Solved</source>
        <translation>正解</translation>
    </message>
    <message>
        <source>Partly solved</source>
        <translation>部分正解</translation>
    </message>
    <message>
        <source>Wrong answer</source>
        <translation>不正解</translation>
    </message>
    <message>
        <source>Hint charged</source>
        <translation>ヒント(減点)</translation>
    </message>
    <message>
        <source>Solution revealed</source>
        <translation>解答を公開</translation>
    </message>
    <message>
        <source>Score adjusted</source>
        <translation>得点を調整</translation>
    </message>
    <message>
        <source>Service down</source>
        <translation>サービス停止</translation>
    </message>
    <message>
        <source>(not recorded: typed at a password prompt)</source>
        <translation>(記録なし: パスワード入力中の行)</translation>
    </message>
    <message>
        <source>%1 s without input</source>
        <translation>%1 秒間入力なし</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>受講者</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <source>%1 after the start</source>
        <translation>開始から %1</translation>
    </message>
    <message>
        <source>Wall clock</source>
        <translation>実時刻</translation>
    </message>
</context>
<context>
    <name>cyrange::console::TeamObjectivesModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <source>Wrong answers</source>
        <translation>誤答</translation>
    </message>
    <message>
        <source>Hints</source>
        <translation>ヒント</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Solved at (exercise clock)</source>
        <translation>達成時刻（演習時計）</translation>
    </message>
</context>
<context>
    <name>cyrange::console::TeamPanel</name>
    <message>
        <source>Host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>役割</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>アドレス</translation>
    </message>
    <message>
        <source>Trainee terminal</source>
        <translation>受講者端末</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>再読み込み</translation>
    </message>
    <message>
        <source>Terminal recordings…</source>
        <translation>端末の記録…</translation>
    </message>
    <message>
        <source>Replay this team&apos;s terminals, or ask to watch them live</source>
        <translation>このチームの端末を再生するか、ライブ視聴を依頼します</translation>
    </message>
    <message>
        <source>Hosts of the team&apos;s range</source>
        <translation>チームの演習環境のホスト</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>数値</translation>
    </message>
    <message numerus="yes">
        <source>Only the latest %n steps are shown.</source>
        <translation>
            <numerusform>最新の %n 件だけを表示しています。</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a team on the dashboard</source>
        <translation>ダッシュボードでチームを選んでください</translation>
    </message>
    <message>
        <source>Team %1</source>
        <translation>チーム %1</translation>
    </message>
    <message>
        <source>range: %1</source>
        <translation>演習環境: %1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>あり</translation>
    </message>
    <message>
        <source>no</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>First action after %1</source>
        <translation>最初の操作まで %1</translation>
    </message>
    <message>
        <source>No action yet</source>
        <translation>まだ操作がありません</translation>
    </message>
    <message numerus="yes">
        <source>%n command(s)</source>
        <translation>
            <numerusform>コマンド %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hint(s) charged</source>
        <translation>
            <numerusform>ヒント %n 件(減点)</numerusform>
        </translation>
    </message>
    <message>
        <source>Idle %1</source>
        <translation>操作なし %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 solved at %2 after %n command(s)</source>
        <translation>
            <numerusform>%1 を %2 に正解(コマンド %n 件)</numerusform>
        </translation>
    </message>
    <message>
        <source>No numbers yet</source>
        <translation>まだ数値がありません</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Double-click a session to replay it in the Recordings tab</source>
        <translation>セッションをダブルクリックすると「端末の記録」タブで再生します</translation>
    </message>
    <message>
        <source>Double-click an event whose evidence names a recording to replay that moment</source>
        <translation>端末の記録を根拠に持つイベントをダブルクリックすると、その時点から再生します</translation>
    </message>
    <message>
        <source>Objectives</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Commands and activity</source>
        <translation>コマンドと操作</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>出来事</translation>
    </message>
    <message>
        <source>Terminal sessions</source>
        <translation>端末セッション</translation>
    </message>
    <message>
        <source>Activity since the start: commands, answers, hints, report edits and score changes</source>
        <translation>開始からの操作: コマンド、解答、ヒント、報告書の編集、得点の変化</translation>
    </message>
    <message>
        <source>Double-click a command, or a grade whose evidence names a recording, to replay that moment in the Recordings tab</source>
        <translation>コマンド、または端末の記録を根拠に持つ採点をダブルクリックすると、「端末の記録」タブでその時点から再生します</translation>
    </message>
</context>
<context>
    <name>cyrange::console::TimelineModel</name>
    <message>
        <source>pending</source>
        <translation>待機</translation>
    </message>
    <message>
        <source>due</source>
        <translation>実行予定</translation>
    </message>
    <message>
        <source>running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>スキップ</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>attack step</source>
        <translation>攻撃手順</translation>
    </message>
    <message>
        <source>objective</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>項目</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>予定</translation>
    </message>
    <message>
        <source>Fired</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>ATT&amp;CK</source>
        <translation>ATT&amp;CK</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>詳細</translation>
    </message>
</context>
<context>
    <name>cyrange::qt::InputRecorder</name>
    <message>
        <source>Recorded: the keys you press in this window (never what you type into password fields), mouse clicks, wheel and movements, the active window and field, and your answers, hints and report saves. In terminals only when keys are pressed: the server records the terminal session itself.</source>
        <translation>記録する内容: このウィンドウで押したキー（パスワード欄への入力は記録しません）、マウスのクリック・ホイール・移動、操作中のウィンドウと入力欄、解答・ヒント・報告書の保存。ターミナルではキーを押した時刻のみ記録します（ターミナルの内容はサーバが記録します）。</translation>
    </message>
</context>
<context>
    <name>cyrange::qt::LinkIndicator</name>
    <message>
        <source>● connected to %1</source>
        <translation>● %1 に接続中</translation>
    </message>
    <message>
        <source>○ connecting…</source>
        <translation>○ 接続しています…</translation>
    </message>
    <message>
        <source>◌ connection lost — reconnecting…</source>
        <translation>◌ 接続が切れました — 再接続しています…</translation>
    </message>
    <message>
        <source>✗ not connected</source>
        <translation>✗ 未接続</translation>
    </message>
</context>
<context>
    <name>cyrange::qt::SignInDialog</name>
    <message>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <source>Sign in to cyranged</source>
        <translation>cyranged にサインイン</translation>
    </message>
    <message>
        <source>A name for these settings; they are remembered for next time.</source>
        <translation>この設定の名前。次回のために保存されます。</translation>
    </message>
    <message>
        <source>ca.pem from the server&apos;s TLS folder</source>
        <translation>サーバーの TLS フォルダにある ca.pem</translation>
    </message>
    <message>
        <source>Without TLS (only for this computer, 127.0.0.1)</source>
        <translation>TLS なし（このコンピューター 127.0.0.1 のみ）</translation>
    </message>
    <message>
        <source>Token file</source>
        <translation>トークンファイル</translation>
    </message>
    <message>
        <source>Paste a token</source>
        <translation>トークンを貼り付け</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>プロファイル</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>サーバー</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>CA 証明書</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>サインイン</translation>
    </message>
    <message>
        <source>default</source>
        <translation>既定</translation>
    </message>
    <message>
        <source>The server refused the token: it is wrong, revoked or expired. Ask an administrator for a new one (cyrange users token NAME).</source>
        <translation>サーバーがトークンを拒否しました。誤り、失効、または期限切れです。管理者に新しいトークンを依頼してください（cyrange users token NAME）。</translation>
    </message>
    <message>
        <source>The server at %1 answered, but its certificate is not signed by the CA certificate given. Ask the operator for the server&apos;s ca.pem.</source>
        <translation>%1 のサーバーは応答しましたが、その証明書は指定の CA 証明書で署名されていません。運用担当者にサーバーの ca.pem を依頼してください。</translation>
    </message>
    <message>
        <source>Cannot reach cyranged at %1. Check the address and port, and that the server runs.</source>
        <translation>%1 の cyranged に接続できません。アドレスとポート、サーバーが起動しているかを確認してください。</translation>
    </message>
    <message>
        <source>Signing in failed: %1</source>
        <translation>サインインできませんでした: %1</translation>
    </message>
    <message>
        <source>Give the profile a name without &apos;/&apos; (for example training-room).</source>
        <translation>プロファイル名を &apos;/&apos; を含まない名前にしてください（例: training-room）。</translation>
    </message>
    <message>
        <source>Enter the server address as host:port.</source>
        <translation>サーバーのアドレスを host:port の形で入力してください。</translation>
    </message>
    <message>
        <source>Without TLS the token would cross the network in clear; this is allowed only for 127.0.0.1 and localhost. Give the CA certificate instead.</source>
        <translation>TLS なしではトークンが平文でネットワークを流れます。127.0.0.1 と localhost でのみ許可されます。代わりに CA 証明書を指定してください。</translation>
    </message>
    <message>
        <source>Cannot read a token from %1. Choose the token file or paste the token.</source>
        <translation>%1 からトークンを読めません。トークンファイルを選ぶか、トークンを貼り付けてください。</translation>
    </message>
    <message>
        <source>Paste the token, or choose the token file.</source>
        <translation>トークンを貼り付けるか、トークンファイルを選んでください。</translation>
    </message>
    <message>
        <source>The CA certificate %1 cannot be read. Copy ca.pem from the server.</source>
        <translation>CA 証明書 %1 を読めません。サーバーから ca.pem をコピーしてください。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1 に接続しています…</translation>
    </message>
    <message>
        <source>%1 signed in as %2; this window is not for that role.</source>
        <translation>%1 は %2 としてサインインしました。この画面はそのロール向けではありません。</translation>
    </message>
    <message>
        <source>Join code</source>
        <translation>参加コード</translation>
    </message>
    <message>
        <source>from your instructor, e.g. K7QF-M2XD</source>
        <translation>講師から受け取ったコード（例: K7QF-M2XD）</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>参加</translation>
    </message>
    <message>
        <source>Type the join code your instructor gave you (for example K7QF-M2XD).</source>
        <translation>講師から受け取った参加コードを入力してください（例: K7QF-M2XD）。</translation>
    </message>
    <message>
        <source>Redeeming the join code at %1…</source>
        <translation>%1 で参加コードを確認しています…</translation>
    </message>
</context>
<context>
    <name>cyrange::qt::TerminalView</name>
    <message>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>貼り付け(&amp;P)</translation>
    </message>
    <message>
        <source>C&amp;lear Scrollback</source>
        <translation>スクロールバックを消去(&amp;L)</translation>
    </message>
</context>
</TS>
