<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>cyrange::console::CreateExerciseDialog</name>
    <message numerus="yes">
        <source>Valid: %n warning(s). Nothing is created until you press Create.</source>
        <translation>
            <numerusform>Valid: %n warning. Nothing is created until you press Create.</numerusform>
            <numerusform>Valid: %n warnings. Nothing is created until you press Create.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s): fix them in the file, then validate again.</source>
        <translation>
            <numerusform>%n error: fix them in the file, then validate again.</numerusform>
            <numerusform>%n errors: fix them in the file, then validate again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::ExerciseListModel</name>
    <message numerus="yes">
        <source>%1
%2 · %3 · %n team(s)</source>
        <translation>
            <numerusform>%1
%2 · %3 · %n team</numerusform>
            <numerusform>%1
%2 · %3 · %n teams</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::JoinCodesDialog</name>
    <message numerus="yes">
        <source>%n code(s) created.</source>
        <translation>
            <numerusform>%n code created.</numerusform>
            <numerusform>%n codes created.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::MatrixModel</name>
    <message numerus="yes">
        <source>%1, %n point(s)</source>
        <translation>
            <numerusform>%1, %n point</numerusform>
            <numerusform>%1, %n points</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n wrong answer(s)</source>
        <translation>
            <numerusform>%n wrong answer</numerusform>
            <numerusform>%n wrong answers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::ProvisioningModel</name>
    <message numerus="yes">
        <source>All %n host(s) ready</source>
        <translation>
            <numerusform>The %n host is ready</numerusform>
            <numerusform>All %n hosts ready</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::PushHintDialog</name>
    <message numerus="yes">
        <source>Each of the %n team(s) loses %1 points; a team that already took this hint is not charged again.</source>
        <translation>
            <numerusform>Each of the %n team loses %1 points; a team that already took this hint is not charged again.</numerusform>
            <numerusform>Each of the %n teams loses %1 points; a team that already took this hint is not charged again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::RevealSolutionDialog</name>
    <message numerus="yes">
        <source>%n team(s) have not solved this objective yet (%1): solving it after the reveal earns them no points, so each can lose up to %2 points.</source>
        <translation>
            <numerusform>%n team has not solved this objective yet (%1): solving it after the reveal earns it no points, so it can lose up to %2 points.</numerusform>
            <numerusform>%n teams have not solved this objective yet (%1): solving it after the reveal earns them no points, so each can lose up to %2 points.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::console::TeamPanel</name>
    <message numerus="yes">
        <source>Only the latest %n steps are shown.</source>
        <translation>
            <numerusform>Only the latest step is shown.</numerusform>
            <numerusform>Only the latest %n steps are shown.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n command(s)</source>
        <translation>
            <numerusform>%n command</numerusform>
            <numerusform>%n commands</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hint(s) charged</source>
        <translation>
            <numerusform>%n hint charged</numerusform>
            <numerusform>%n hints charged</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 solved at %2 after %n command(s)</source>
        <translation>
            <numerusform>%1 solved at %2 after %n command</numerusform>
            <numerusform>%1 solved at %2 after %n commands</numerusform>
        </translation>
    </message>
</context>
</TS>
