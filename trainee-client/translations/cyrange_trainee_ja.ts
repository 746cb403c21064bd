<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>QObject</name>
    <message>
        <source>Connection lost — reconnecting…</source>
        <translation>接続が切れました — 再接続しています…</translation>
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
        <source>Type the join code your instructor gave you (for example K7QF-M2XD).</source>
        <translation>講師から受け取った参加コードを入力してください（例: K7QF-M2XD）。</translation>
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
<context>
    <name>cyrange::trainee::ConsentDialog</name>
    <message>
        <source>Before we start: recording and your consent</source>
        <translation>開始前に: 操作の記録と同意について</translation>
    </message>
    <message>
        <source>During this training day cyrange can record what you type and click in this window and in the terminals, to score your team and to discuss the day with you afterwards. Nothing is recorded unless you agree. Passwords you type are never recorded. You can change your mind at any time under Day &gt; Recording and consent; withdrawing deletes what was recorded.</source>
        <translation>この演習の間、cyrange はチームの採点と演習後の振り返りのために、このウィンドウとターミナルでの入力やクリックを記録できます。同意しない限り何も記録しません。入力したパスワードは記録しません。同意はいつでも「演習 &gt; 記録と同意」から変更でき、撤回すると記録は削除されます。</translation>
    </message>
    <message>
        <source>Loading the consent texts…</source>
        <translation>同意文を読み込んでいます…</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>続ける</translation>
    </message>
    <message>
        <source>I agree</source>
        <translation>同意する</translation>
    </message>
    <message>
        <source>I do not agree</source>
        <translation>同意しない</translation>
    </message>
    <message>
        <source>Choose for each purpose, then press Continue.</source>
        <translation>目的ごとに選んでから「続ける」を押してください。</translation>
    </message>
    <message>
        <source>Saving your choice…</source>
        <translation>選択を保存しています…</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::CourseTableModel</name>
    <message>
        <source>Waiting: number %1 in the queue</source>
        <translation>順番待ち: %1 番目</translation>
    </message>
    <message>
        <source>Preparing your range</source>
        <translation>演習環境を準備しています</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <source>Paused (saved)</source>
        <translation>一時停止中（保存済み）</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>期限切れ</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失敗: %1</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>The range of this run is removed at this time; your results are kept.</source>
        <translation>この日時に演習環境は削除されます。成績は残ります。</translation>
    </message>
    <message>
        <source>x%1</source>
        <translation>×%1</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未開始</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) after the start</source>
        <translation>
            <numerusform>開始から %n 日</numerusform>
        </translation>
    </message>
    <message>
        <source>Course</source>
        <translation>コース</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>時計</translation>
    </message>
    <message>
        <source>Your run</source>
        <translation>あなたの実行</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Range kept until</source>
        <translation>環境の保存期限</translation>
    </message>
    <message numerus="yes">
        <source>%1 points · %2 solved · %n hint(s)</source>
        <translation>
            <numerusform>%1 点 · 達成 %2 · ヒント %n 回</numerusform>
        </translation>
    </message>
    <message>
        <source>Results</source>
        <translation>成績</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::CoursesWindow</name>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>End run…</source>
        <translation>実行を終了…</translation>
    </message>
    <message>
        <source>Self-paced courses — cyrange</source>
        <translation>自習コース — cyrange</translation>
    </message>
    <message>
        <source>Self-paced courses</source>
        <translation>自習コース</translation>
    </message>
    <message>
        <source>Take a course alone, at your own pace, on your own range. Pausing saves the range to disk; resume it on another day, before the date in the last column.</source>
        <translation>自分専用の演習環境で、自分のペースでコースを受講できます。一時停止すると環境はディスクに保存され、右端の列の日時までなら別の日に再開できます。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Asking the server for your range…</source>
        <translation>サーバに演習環境を要求しています…</translation>
    </message>
    <message>
        <source>End run</source>
        <translation>実行の終了</translation>
    </message>
    <message>
        <source>End your run of &quot;%1&quot;? Its range is removed and cannot be resumed; your results are kept.</source>
        <translation>「%1」の実行を終了しますか？ 演習環境は削除され、再開できなくなります。成績は残ります。</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::DayFinder</name>
    <message>
        <source>No training day is running for your team yet. Wait for the instructor to start it, then sign in again.</source>
        <translation>あなたのチームの演習はまだ始まっていません。講師が開始するのを待ってから、もう一度サインインしてください。</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::InboxView</name>
    <message>
        <source>Briefing</source>
        <translation>ブリーフィング</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>お知らせ</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::MainWindow</name>
    <message>
        <source>cyrange — training day %1, team %2</source>
        <translation>cyrange — 演習 %1、チーム %2</translation>
    </message>
    <message>
        <source>Exercise %1 · team %2 · %3</source>
        <translation>演習 %1 · チーム %2 · %3</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>受信箱</translation>
    </message>
    <message>
        <source>Incident report</source>
        <translation>インシデント報告書</translation>
    </message>
    <message>
        <source>Scoreboard</source>
        <translation>スコアボード</translation>
    </message>
    <message>
        <source>Score: %1</source>
        <translation>得点: %1</translation>
    </message>
    <message>
        <source>New message: %1</source>
        <translation>新着メッセージ: %1</translation>
    </message>
    <message>
        <source>Inbox (new)</source>
        <translation>受信箱（新着）</translation>
    </message>
    <message>
        <source>&amp;Day</source>
        <translation>演習(&amp;D)</translation>
    </message>
    <message>
        <source>Recording and consent…</source>
        <translation>記録と同意…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>The new language applies the next time you start cyrange-trainee.</source>
        <translation>新しい言語は次回 cyrange-trainee を起動したときに反映されます。</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>Terminal: %1</source>
        <translation>ターミナル: %1</translation>
    </message>
    <message>
        <source>○ not recording</source>
        <translation>○ 記録していません</translation>
    </message>
    <message>
        <source>Nothing you do is recorded: you have not agreed to recording. Day &gt; Recording and consent changes this.</source>
        <translation>記録に同意していないため、操作は何も記録されません。「演習 &gt; 記録と同意」で変更できます。</translation>
    </message>
    <message>
        <source>● recording</source>
        <translation>● 記録中</translation>
    </message>
    <message>
        <source>offline: nothing waiting</source>
        <translation>オフライン: 送信待ちはありません</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) being sent</source>
        <translation>
            <numerusform>%n 件を送信中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>offline: %n event(s) kept on this computer, sent when the server is back</source>
        <translation>
            <numerusform>オフライン: %n 件をこのコンピュータに保持しています（サーバの復旧後に送信します）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::ReportEditor</name>
    <message>
        <source>Timeline of the incident</source>
        <translation>インシデントの時系列</translation>
    </message>
    <message>
        <source>Scope: what was affected</source>
        <translation>影響範囲: 影響を受けたもの</translation>
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
        <source>Save draft</source>
        <translation>下書きを保存</translation>
    </message>
    <message>
        <source>Submit to the instructor…</source>
        <translation>講師に提出…</translation>
    </message>
    <message>
        <source>Submit the report</source>
        <translation>報告書の提出</translation>
    </message>
    <message>
        <source>Submit this version to the instructor? Your team cannot change the report afterwards.</source>
        <translation>この版を講師に提出しますか？提出後はチームで報告書を変更できません。</translation>
    </message>
    <message>
        <source>Nothing saved yet.</source>
        <translation>まだ保存されていません。</translation>
    </message>
    <message>
        <source>Version %1 submitted by %2 at %3. The report is closed.</source>
        <translation>第%1版を %2 が %3 に提出しました。報告書は締め切られています。</translation>
    </message>
    <message>
        <source>Version %1 saved by %2 at %3.</source>
        <translation>第%1版を %2 が %3 に保存しました。</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>提出しています…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>保存しています…</translation>
    </message>
    <message>
        <source>A teammate saved the report</source>
        <translation>チームの誰かが報告書を保存しました</translation>
    </message>
    <message>
        <source>%1
Load their version? Your unsaved text will be replaced.</source>
        <translation>%1
その版を読み込みますか？保存していない文章は置き換えられます。</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::RunSession</name>
    <message>
        <source>Self-paced run</source>
        <translation>自習の実行</translation>
    </message>
    <message>
        <source>Pause and save</source>
        <translation>一時停止して保存</translation>
    </message>
    <message>
        <source>Saves your range to disk and stops the clock; resume it from the course list, on any day before the range is removed.</source>
        <translation>演習環境をディスクに保存し、時計を止めます。環境が削除されるまでの任意の日に、コース一覧から再開できます。</translation>
    </message>
    <message>
        <source>Your range is kept until %1.</source>
        <translation>演習環境は %1 まで保存されます。</translation>
    </message>
    <message>
        <source>The run was paused after a long time without activity. Your range is saved; resume it from the course list.</source>
        <translation>操作のない時間が長く続いたため、実行を一時停止しました。演習環境は保存されています。コース一覧から再開してください。</translation>
    </message>
    <message>
        <source>Saving your range to disk…</source>
        <translation>演習環境をディスクに保存しています…</translation>
    </message>
    <message>
        <source>The run could not be paused: %1</source>
        <translation>実行を一時停止できませんでした: %1</translation>
    </message>
    <message>
        <source>Your range is saved and the clock is stopped. Resume the run from the course list whenever you are ready.</source>
        <translation>演習環境を保存し、時計を止めました。準備ができたらコース一覧から再開してください。</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::ScoreboardView</name>
    <message>
        <source>Rank</source>
        <translation>順位</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>チーム</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>得点</translation>
    </message>
    <message>
        <source>Your team %1 has %2 points. The instructor has hidden the scoreboard.</source>
        <translation>あなたのチーム %1 の得点は %2 点です。講師がスコアボードを非表示にしています。</translation>
    </message>
    <message>
        <source>Your team %1 has %2 points. The scoreboard is frozen: it shows the totals at the freeze.</source>
        <translation>あなたのチーム %1 の得点は %2 点です。スコアボードは凍結中で、凍結時点の合計を表示しています。</translation>
    </message>
    <message>
        <source>Your team %1 has %2 points.</source>
        <translation>あなたのチーム %1 の得点は %2 点です。</translation>
    </message>
    <message>
        <source>Waiting for the scoreboard…</source>
        <translation>スコアボードを待っています…</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::TasksPanel</name>
    <message>
        <source>✓ solved</source>
        <translation>✓ 正解</translation>
    </message>
    <message>
        <source>◐ partly solved</source>
        <translation>◐ 一部正解</translation>
    </message>
    <message>
        <source>○ open</source>
        <translation>○ 未解答</translation>
    </message>
    <message>
        <source>Answer with a number</source>
        <translation>数値で解答してください</translation>
    </message>
    <message>
        <source>Nothing to type: do it on the range; it is checked there</source>
        <translation>入力は不要です。演習環境で対処すると、そこで確認されます</translation>
    </message>
    <message>
        <source>Answered by your incident report; the instructor grades it</source>
        <translation>インシデント報告書で解答します。講師が採点します</translation>
    </message>
    <message>
        <source>Type your answer</source>
        <translation>解答を入力してください</translation>
    </message>
    <message>
        <source>Submit answer</source>
        <translation>解答を送信</translation>
    </message>
    <message>
        <source>Hints</source>
        <translation>ヒント</translation>
    </message>
    <message>
        <source>%1  %2 — %3/%4 points</source>
        <translation>%1  %2 — %3/%4 点</translation>
    </message>
    <message>
        <source>Waiting for your tasks…</source>
        <translation>課題を待っています…</translation>
    </message>
    <message>
        <source>wrong answers: %1, attempts left: %2</source>
        <translation>誤答 %1 回、残り %2 回</translation>
    </message>
    <message>
        <source>wrong answers: %1 (no limit)</source>
        <translation>誤答 %1 回（回数制限なし）</translation>
    </message>
    <message>
        <source>%1 · %2 of %3 points · %4</source>
        <translation>%1 · %3 点中 %2 点 · %4</translation>
    </message>
    <message>
        <source>%1 (%2 points, attempts left: %3)</source>
        <translation>%1（%2 点、残り %3 回）</translation>
    </message>
    <message>
        <source>No attempts left for this task</source>
        <translation>この課題は解答回数が残っていません</translation>
    </message>
    <message>
        <source>This task has no hints.</source>
        <translation>この課題にはヒントがありません。</translation>
    </message>
    <message>
        <source>Solution (shown by your instructor): %1</source>
        <translation>解説（講師が公開）: %1</translation>
    </message>
    <message>
        <source>%1 (−%2 points): %3</source>
        <translation>%1（−%2 点）: %3</translation>
    </message>
    <message>
        <source>Take %1 (−%2 points)…</source>
        <translation>%1 を見る（−%2 点）…</translation>
    </message>
    <message>
        <source>Taking %1 costs your team %2 points. Take it?</source>
        <translation>%1 を見るとチームの得点が %2 点減ります。見ますか？</translation>
    </message>
    <message>
        <source>Yes, take it</source>
        <translation>はい、見ます</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Checking your answer…</source>
        <translation>解答を確認しています…</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::TerminalTab</name>
    <message>
        <source>Connected to %1. What you type here is recorded for scoring and the debrief.</source>
        <translation>%1 に接続しました。ここでの入力は採点と振り返りのために記録されます。</translation>
    </message>
    <message>
        <source>Connected to %1. This terminal is not recorded: %2</source>
        <translation>%1 に接続しました。このターミナルは記録されません: %2</translation>
    </message>
    <message>
        <source>The session on %1 ended. Reconnecting…</source>
        <translation>%1 のセッションが終了しました。再接続しています…</translation>
    </message>
    <message>
        <source>Connection to %1 lost (%2). Reconnecting in %3 s…</source>
        <translation>%1 への接続が切れました（%2）。%3 秒後に再接続します…</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::TraineeApp</name>
    <message>
        <source>Recording</source>
        <translation>記録</translation>
    </message>
    <message>
        <source>Recording cannot start: %1</source>
        <translation>記録を開始できません: %1</translation>
    </message>
    <message>
        <source>cyrange-trainee</source>
        <translation>cyrange-trainee</translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::WatchBar</name>
    <message>
        <source>Instructor %1 asks to watch your team&apos;s terminals live (read-only: they cannot type). Nothing is shown to them unless you allow it.</source>
        <translation>講師 %1 さんが、チームの端末をライブで見たいと依頼しています（読み取り専用で、講師は入力できません）。許可しない限り、何も表示されません。</translation>
    </message>
    <message>
        <source>Allow</source>
        <translation>許可する</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>断る</translation>
    </message>
    <message>
        <source>Being watched: %1 sees your team&apos;s terminals live (read-only), allowed by %2.</source>
        <translation>視聴中: %1 さんがチームの端末をライブで見ています（読み取り専用、%2 さんが許可）。</translation>
    </message>
    <message>
        <source>Stop watching</source>
        <translation>視聴を止める</translation>
    </message>
</context>
</TS>
