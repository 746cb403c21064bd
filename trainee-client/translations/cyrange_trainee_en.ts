<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>cyrange::trainee::CourseTableModel</name>
    <message numerus="yes">
        <source>%n day(s) after the start</source>
        <translation>
            <numerusform>%n day after the start</numerusform>
            <numerusform>%n days after the start</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 points · %2 solved · %n hint(s)</source>
        <translation>
            <numerusform>%1 points · %2 solved · %n hint</numerusform>
            <numerusform>%1 points · %2 solved · %n hints</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cyrange::trainee::MainWindow</name>
    <message numerus="yes">
        <source>%n event(s) being sent</source>
        <translation>
            <numerusform>%n event being sent</numerusform>
            <numerusform>%n events being sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>offline: %n event(s) kept on this computer, sent when the server is back</source>
        <translation>
            <numerusform>offline: %n event kept on this computer, sent when the server is back</numerusform>
            <numerusform>offline: %n events kept on this computer, sent when the server is back</numerusform>
        </translation>
    </message>
</context>
</TS>
