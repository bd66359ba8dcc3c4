<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AgentApp</name>
    <message>
        <location filename="../app.py" line="64"/>
        <source>{organisation} at {phone}</source>
        <extracomment>What the code window says macOS must allow before any session: seeing and controlling.</extracomment>
        <translation>{organisation} unter {phone}</translation>
    </message>
    <message>
        <location filename="../app.py" line="67"/>
        <source>your support company at {phone}</source>
        <translation>Ihren IT-Dienstleister unter {phone}</translation>
    </message>
    <message>
        <location filename="../app.py" line="71"/>
        <source>your support company</source>
        <translation>Ihren IT-Dienstleister</translation>
    </message>
    <message>
        <location filename="../app.py" line="77"/>
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="78"/>
        <source>Your technician ended the session.</source>
        <translation>Ihr Techniker hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="80"/>
        <source>You declined the session. Nothing was shared.</source>
        <translation>Sie haben die Sitzung abgelehnt. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="82"/>
        <source>You did not answer within 2 minutes, so the request was declined. Nothing was shared.</source>
        <translation>Sie haben nicht innerhalb von 2 Minuten geantwortet, deshalb wurde die Anfrage abgelehnt. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="87"/>
        <source>The connection to your technician was lost.</source>
        <translation>Die Verbindung zu Ihrem Techniker ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="89"/>
        <source>The connection to your technician was lost and did not come back in time. Nothing more is shared.</source>
        <translation>Die Verbindung zu Ihrem Techniker ist abgebrochen und kam nicht rechtzeitig zurück. Es wird nichts mehr geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="93"/>
        <source>The session was ended for your safety: a message arrived damaged.</source>
        <translation>Die Sitzung wurde zu Ihrer Sicherheit beendet: Eine Nachricht kam beschädigt an.</translation>
    </message>
    <message>
        <location filename="../app.py" line="97"/>
        <source>The session was ended because your technician&apos;s program sent something unexpected.</source>
        <translation>Die Sitzung wurde beendet, weil das Programm Ihres Technikers etwas Unerwartetes gesendet hat.</translation>
    </message>
    <message>
        <location filename="../app.py" line="102"/>
        <source>Your technician uses a different version of Fernhilfe. One of the two programs needs an update: please tell your technician.</source>
        <translation>Ihr Techniker verwendet eine andere Version von Fernhilfe. Eines der beiden Programme muss aktualisiert werden: Bitte sagen Sie es Ihrem Techniker.</translation>
    </message>
    <message>
        <location filename="../app.py" line="107"/>
        <source>The session was ended because of a problem in Fernhilfe. You can get a new code and try again.</source>
        <translation>Die Sitzung wurde wegen eines Problems in Fernhilfe beendet. Sie können einen neuen Code holen und es noch einmal versuchen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="112"/>
        <source>The session was ended because this computer cannot save the record of the session (its folder is missing, read-only or full). Nothing more is shared.</source>
        <translation>Die Sitzung wurde beendet, weil dieser Computer das Sitzungsprotokoll nicht speichern kann (der Ordner fehlt, ist schreibgeschützt oder voll). Es wird nichts mehr geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="117"/>
        <source>The session was ended because your technician&apos;s computer cannot save the record of the session. Nothing more is shared.</source>
        <translation>Die Sitzung wurde beendet, weil der Computer Ihres Technikers das Sitzungsprotokoll nicht speichern kann. Es wird nichts mehr geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="122"/>
        <source>Your technician&apos;s program stopped answering. Nothing was shared.</source>
        <translation>Das Programm Ihres Technikers antwortet nicht mehr. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="126"/>
        <source>Fernhilfe is restarting with administrator rights. Windows asks for your permission.</source>
        <translation>Fernhilfe startet mit Administratorrechten neu. Windows fragt Sie um Erlaubnis.</translation>
    </message>
    <message>
        <location filename="../app.py" line="133"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="142"/>
        <source>Windows did not give Fernhilfe administrator rights. You can get a new code and go on without them.</source>
        <translation>Windows hat Fernhilfe keine Administratorrechte gegeben. Sie können einen neuen Code holen und ohne sie weitermachen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="146"/>
        <source>Fernhilfe could not be restarted with administrator rights. You can get a new code and go on without them.</source>
        <translation>Fernhilfe konnte nicht mit Administratorrechten neu gestartet werden. Sie können einen neuen Code holen und ohne sie weitermachen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="157"/>
        <source>Fernhilfe cannot reach the connection service. Please check that this computer is connected to the internet. If it still does not work, please call {contact}.</source>
        <translation>Fernhilfe erreicht den Verbindungsdienst nicht. Bitte prüfen Sie, ob dieser Computer mit dem Internet verbunden ist. Wenn es weiterhin nicht klappt, rufen Sie bitte {contact} an.</translation>
    </message>
    <message>
        <location filename="../app.py" line="162"/>
        <source>This copy of Fernhilfe is set up with an unsafe address for the connection service, so it does not connect. Please call {contact} for a new copy.</source>
        <translation>Dieses Fernhilfe ist mit einer unsicheren Adresse für den Verbindungsdienst eingerichtet und verbindet sich deshalb nicht. Bitte rufen Sie {contact} an und fragen Sie nach einem neuen Fernhilfe.</translation>
    </message>
    <message>
        <location filename="../app.py" line="167"/>
        <source>The connection to the connection service was lost. Fernhilfe tries again by itself.</source>
        <translation>Die Verbindung zum Verbindungsdienst ist abgebrochen. Fernhilfe versucht es von selbst noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="172"/>
        <source>The connection service is busy right now. Fernhilfe tries again by itself.</source>
        <translation>Der Verbindungsdienst ist gerade ausgelastet. Fernhilfe versucht es von selbst noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="176"/>
        <source>There were too many attempts from your network. Please wait a moment; Fernhilfe tries again by itself.</source>
        <translation>Aus Ihrem Netzwerk kamen zu viele Versuche. Bitte warten Sie einen Moment; Fernhilfe versucht es von selbst noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="181"/>
        <source>The connection service is restarting. Fernhilfe tries again by itself.</source>
        <translation>Der Verbindungsdienst startet gerade neu. Fernhilfe versucht es von selbst noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="185"/>
        <source>The connection service does not understand this copy of Fernhilfe. Please call {contact} for an update.</source>
        <translation>Der Verbindungsdienst versteht dieses Fernhilfe nicht. Bitte rufen Sie {contact} an und fragen Sie nach einer neuen Version.</translation>
    </message>
    <message>
        <location filename="../app.py" line="191"/>
        <source>The connection service did not accept the connection. If this keeps happening, please call {contact}.</source>
        <translation>Der Verbindungsdienst hat die Verbindung nicht angenommen. Wenn das wieder passiert, rufen Sie bitte {contact} an.</translation>
    </message>
    <message>
        <location filename="../app.py" line="202"/>
        <source>The code that was entered did not match.</source>
        <translation>Der eingegebene Code passte nicht.</translation>
    </message>
    <message>
        <location filename="../app.py" line="204"/>
        <source>Your code was entered, but the other side stopped answering.</source>
        <translation>Ihr Code wurde eingegeben, aber die Gegenseite antwortet nicht mehr.</translation>
    </message>
    <message>
        <location filename="../app.py" line="207"/>
        <source>A connection with your code did not work.</source>
        <translation>Eine Verbindung mit Ihrem Code hat nicht geklappt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="209"/>
        <source>Here is a new code.</source>
        <translation>Hier ist ein neuer Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="215"/>
        <source>Warning: {count} attempts to connect to this computer have failed. Only continue if you called your support company yourself, at a phone number you know (for example from your contract or invoice). If someone called you and asked for this code, click Quit.</source>
        <translation>Achtung: {count} Versuche, sich mit diesem Computer zu verbinden, sind gescheitert. Machen Sie nur weiter, wenn Sie Ihren IT-Dienstleister selbst angerufen haben, unter einer Nummer, die Sie kennen (zum Beispiel aus Ihrem Vertrag oder Ihrer Rechnung). Wenn jemand Sie angerufen und nach diesem Code gefragt hat, klicken Sie auf „Beenden“.</translation>
    </message>
    <message>
        <location filename="../app.py" line="228"/>
        <source>This computer cannot save the record of remote support sessions (its folder is missing, read-only or full), so no code can be given. Please free up disk space or call {contact}, then try again.</source>
        <translation>Dieser Computer kann keine Sitzungsprotokolle speichern (der Ordner fehlt, ist schreibgeschützt oder voll). Deshalb gibt es keinen Code. Bitte schaffen Sie freien Speicherplatz oder rufen Sie {contact} an, und versuchen Sie es dann noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="234"/>
        <source>Getting a code did not work. Please try again. If it keeps happening, please call {contact}.</source>
        <translation>Der Code konnte nicht geholt werden. Bitte versuchen Sie es noch einmal. Wenn das wieder passiert, rufen Sie bitte {contact} an.</translation>
    </message>
</context>
<context>
    <name>ChatArea</name>
    <message>
        <location filename="../ui/chat_area.py" line="43"/>
        <source>Chat with your technician</source>
        <translation>Chat mit Ihrem Techniker</translation>
    </message>
    <message>
        <location filename="../ui/chat_area.py" line="49"/>
        <source>Keep the chat in the session record</source>
        <translation>Chat protokollieren (im Sitzungsprotokoll behalten)</translation>
    </message>
    <message>
        <location filename="../ui/chat_area.py" line="53"/>
        <source>Off: the chat is in neither your nor your technician&apos;s session record. On: both of you keep it there.</source>
        <translation>Aus: Der Chat steht weder in Ihrem Sitzungsprotokoll noch in dem Ihres Technikers. An: Sie beide behalten ihn dort.</translation>
    </message>
    <message>
        <location filename="../ui/chat_area.py" line="57"/>
        <source>Off: the chat is not recorded. On: you and your technician both keep it in the session record.</source>
        <translation>Aus: Der Chat wird nicht protokolliert. An: Sie und Ihr Techniker behalten ihn beide im Sitzungsprotokoll.</translation>
    </message>
    <message>
        <location filename="../ui/chat_area.py" line="78"/>
        <source>Your technician</source>
        <translation>Ihr Techniker</translation>
    </message>
    <message>
        <location filename="../ui/chat_area.py" line="103"/>
        <source>From now on the chat is kept in the session record, on both sides.</source>
        <translation>Ab jetzt wird der Chat im Sitzungsprotokoll behalten, auf beiden Seiten.</translation>
    </message>
    <message>
        <location filename="../ui/chat_area.py" line="104"/>
        <source>From now on the chat is no longer recorded.</source>
        <translation>Ab jetzt wird der Chat nicht mehr protokolliert.</translation>
    </message>
</context>
<context>
    <name>ChatLog</name>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="122"/>
        <source>Chat messages</source>
        <translation>Chat-Nachrichten</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="127"/>
        <source>Write a message (Enter sends, Shift+Enter starts a new line)</source>
        <translation>Nachricht schreiben (Eingabetaste sendet, Umschalt+Eingabetaste beginnt eine neue Zeile)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="129"/>
        <source>Chat message</source>
        <translation>Chat-Nachricht</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="131"/>
        <source>Enter sends the message, Shift+Enter starts a new line.</source>
        <translation>Die Eingabetaste sendet die Nachricht, Umschalt+Eingabetaste beginnt eine neue Zeile.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="145"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="148"/>
        <source>Send message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="178"/>
        <source>Messages not shown because they came too fast: {count}</source>
        <translation>Nicht angezeigte Nachrichten (kamen zu schnell): {count}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="182"/>
        <source>New message from {name}: {text}</source>
        <translation>Neue Nachricht von {name}: {text}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="189"/>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="195"/>
        <source>Your message was not sent because the connection is being re-made. Please send it again.</source>
        <translation>Ihre Nachricht wurde nicht gesendet, weil die Verbindung gerade neu aufgebaut wird. Bitte senden Sie sie noch einmal.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="237"/>
        <source>Other side</source>
        <translation>Gegenseite</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="250"/>
        <source>This message is too long: at most {max} characters, it has {count}. Please shorten it or send it in parts.</source>
        <translation>Diese Nachricht ist zu lang: höchstens {max} Zeichen, sie hat {count}. Bitte kürzen Sie sie oder senden Sie sie in Teilen.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="254"/>
        <source>This message contains control or invisible characters, which cannot be sent. Please remove them.</source>
        <translation>Diese Nachricht enthält Steuer- oder unsichtbare Zeichen, die nicht gesendet werden können. Bitte entfernen Sie sie.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="256"/>
        <source>Please write a message first.</source>
        <translation>Bitte schreiben Sie zuerst eine Nachricht.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="279"/>
        <source>{count} / {max}</source>
        <translation>{count} / {max}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/chat_log.py" line="280"/>
        <source>Characters: {count} of {max}</source>
        <translation>Zeichen: {count} von {max}</translation>
    </message>
</context>
<context>
    <name>ChatNotice</name>
    <message>
        <location filename="../ui/chat_area.py" line="136"/>
        <source>Show chat</source>
        <translation>Chat anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/chat_area.py" line="137"/>
        <source>Brings the Fernhilfe window with the chat to the front.</source>
        <translation>Holt das Fernhilfe-Fenster mit dem Chat nach vorne.</translation>
    </message>
    <message>
        <location filename="../ui/chat_area.py" line="142"/>
        <source>New message from {name}: {text}</source>
        <translation>Neue Nachricht von {name}: {text}</translation>
    </message>
</context>
<context>
    <name>CodeWindow</name>
    <message>
        <location filename="../ui/code_window.py" line="118"/>
        <location filename="../ui/code_window.py" line="196"/>
        <source>Copy</source>
        <extracomment>Internal state names, readable by tests and the integrator (``window.state``). The &quot;End the session?&quot; question while it is open (closing during a session). The support company&apos;s logo at the top (None: no logo configured or readable). The scam-call warning after several failed attempts; stays for the rest of the run. &quot;Settings from &lt;file&gt;&quot;: only in an unbranded build that honoured a side file.</extracomment>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="120"/>
        <location filename="../ui/code_window.py" line="122"/>
        <source>Copy the code to the clipboard</source>
        <translation>Den Code in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="121"/>
        <source>Copy code</source>
        <translation>Code kopieren</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="140"/>
        <location filename="../ui/code_window.py" line="142"/>
        <source>Show session record</source>
        <extracomment>What macOS must allow first (Screen Recording, Accessibility); hidden elsewhere. Who is connected, since when, what they may do (state &quot;session&quot; only).</extracomment>
        <translation>Sitzungsprotokoll anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="144"/>
        <source>Shows what happened in the session: who, when, what was allowed.</source>
        <translation>Zeigt, was in der Sitzung geschah: wer, wann, was zugelassen war.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="147"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="149"/>
        <source>Quit Fernhilfe</source>
        <translation>Fernhilfe beenden</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="210"/>
        <source>Getting your code…</source>
        <translation>Ihr Code wird geholt…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="224"/>
        <source>Fernhilfe cannot reach the connection service.</source>
        <translation>Fernhilfe erreicht den Verbindungsdienst nicht.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="237"/>
        <source>Read this code out to your technician on the phone.</source>
        <translation>Lesen Sie diesen Code Ihrem Techniker am Telefon vor.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="242"/>
        <source>Your code: {code}</source>
        <translation>Ihr Code: {code}</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="264"/>
        <source>Your technician is connected. Please answer the question in the window &quot;Allow remote support?&quot;.</source>
        <translation>Ihr Techniker ist verbunden. Bitte beantworten Sie die Frage im Fenster „Fernwartung zulassen?“.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="278"/>
        <source>Session with {name}</source>
        <translation>Sitzung mit {name}</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="299"/>
        <source>The code that was entered did not match. Here is a new code.</source>
        <translation>Der eingegebene Code passte nicht. Hier ist ein neuer Code.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="346"/>
        <source>This code is no longer valid. Click &quot;Get a new code&quot; when your technician is ready.</source>
        <translation>Dieser Code gilt nicht mehr. Klicken Sie auf „Neuen Code holen“, sobald Ihr Techniker bereit ist.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="357"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="357"/>
        <source>No session took place.</source>
        <translation>Es hat keine Sitzung stattgefunden.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="372"/>
        <source>A technician who could not be verified tried to connect. Nothing was shared.</source>
        <translation>Ein Techniker, der nicht verifiziert werden konnte, wollte sich verbinden. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="374"/>
        <source>If someone called you unexpectedly and asked for your code, please hang up.</source>
        <translation>Wenn jemand Sie unerwartet angerufen und nach Ihrem Code gefragt hat, legen Sie bitte auf.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="541"/>
        <source>Your support company&apos;s phone: {phone}</source>
        <translation>Telefon Ihres IT-Dienstleisters: {phone}</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="227"/>
        <source>Try again now</source>
        <translation>Jetzt noch einmal versuchen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="256"/>
        <source>Your code was entered. Connecting to your technician…</source>
        <translation>Ihr Code wurde eingegeben. Die Verbindung zu Ihrem Techniker wird hergestellt…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="309"/>
        <source>Getting a new code…</source>
        <translation>Ein neuer Code wird geholt…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="316"/>
        <source>For your safety, a new code is only shown when you ask for it. Click &quot;Get a new code&quot; when your technician is ready.</source>
        <translation>Zu Ihrer Sicherheit zeigt Fernhilfe einen neuen Code erst, wenn Sie ihn anfordern. Klicken Sie auf „Neuen Code holen“, sobald Ihr Techniker bereit ist.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="330"/>
        <source>Settings from {path}</source>
        <translation>Einstellungen aus {path}</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="338"/>
        <source>Try again</source>
        <translation>Noch einmal versuchen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="318"/>
        <location filename="../ui/code_window.py" line="348"/>
        <location filename="../ui/code_window.py" line="362"/>
        <location filename="../ui/code_window.py" line="377"/>
        <source>Get a new code</source>
        <translation>Neuen Code holen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="463"/>
        <source>This code is valid for {time} minutes.</source>
        <translation>Dieser Code ist noch {time} Minuten gültig.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="469"/>
        <source>Trying again in {seconds} s.</source>
        <translation>Nächster Versuch in {seconds} s.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="473"/>
        <source>Trying again now…</source>
        <translation>Wird noch einmal versucht…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="482"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="509"/>
        <source>End the session?</source>
        <translation>Sitzung beenden?</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="510"/>
        <source>Closing Fernhilfe ends the session: your technician then no longer sees your screen.</source>
        <translation>Wenn Sie Fernhilfe schließen, endet die Sitzung: Ihr Techniker sieht Ihren Bildschirm dann nicht mehr.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="513"/>
        <source>End session and close</source>
        <translation>Sitzung beenden und schließen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="515"/>
        <source>Keep the session</source>
        <translation>Sitzung fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="534"/>
        <source>Remote support by {organisation}</source>
        <translation>Fernwartung durch {organisation}</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="537"/>
        <source>Remote support</source>
        <translation>Fernwartung</translation>
    </message>
</context>
<context>
    <name>ConfirmRestart</name>
    <message>
        <location filename="../ui/elevation_notice.py" line="74"/>
        <location filename="../ui/elevation_notice.py" line="80"/>
        <source>Restart as administrator</source>
        <translation>Als Administrator neu starten</translation>
    </message>
    <message>
        <location filename="../ui/elevation_notice.py" line="75"/>
        <source>Restart Fernhilfe with administrator rights?</source>
        <translation>Fernhilfe mit Administratorrechten neu starten?</translation>
    </message>
    <message>
        <location filename="../ui/elevation_notice.py" line="77"/>
        <source>The session with your technician ends now. Windows then asks for your permission. Fernhilfe starts again and shows a new code: please read it out to your technician again.</source>
        <translation>Die Sitzung mit Ihrem Techniker endet jetzt. Danach fragt Windows Sie um Erlaubnis. Fernhilfe startet neu und zeigt einen neuen Code: Bitte lesen Sie ihn Ihrem Techniker noch einmal vor.</translation>
    </message>
    <message>
        <location filename="../ui/elevation_notice.py" line="82"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <location filename="../ui/consent.py" line="82"/>
        <source>Allow remote support?</source>
        <extracomment>True once the 2-minute timeout (not the customer) decided: the audit says so.</extracomment>
        <translation>Fernwartung zulassen?</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="134"/>
        <source>See your screen</source>
        <translation>Ihren Bildschirm sehen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="93"/>
        <source>A technician wants to connect to your computer.</source>
        <extracomment>The support company&apos;s logo at the top (None: no logo configured or readable).</extracomment>
        <translation>Ein Techniker möchte sich mit Ihrem Computer verbinden.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="104"/>
        <source>Only allow this if you called your support company yourself, or they told you beforehand that they would call. Never allow it for someone who called you unexpectedly.</source>
        <extracomment>The scam warning, always visible in the dialog (callers pretending to be support).</extracomment>
        <translation>Lassen Sie das nur zu, wenn Sie Ihren IT-Dienstleister selbst angerufen haben oder er Ihnen den Anruf vorher angekündigt hat. Lassen Sie es nie zu, wenn jemand Sie unerwartet angerufen hat.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="120"/>
        <source>Check number: your technician must read out the same number. Does it match?</source>
        <translation>Prüfzahl: Ihr Techniker muss Ihnen dieselbe Zahl vorlesen. Stimmt sie überein?</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="130"/>
        <source>Check number: {number}</source>
        <translation>Prüfzahl: {number}</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="132"/>
        <source>Your technician asks to:</source>
        <translation>Ihr Techniker möchte:</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="141"/>
        <source>With it you can chat with each other, and your technician can point at things on your screen. Neither controls your computer.</source>
        <translation>Damit können Sie miteinander chatten, und Ihr Techniker kann Ihnen Dinge auf Ihrem Bildschirm zeigen. Beides steuert nichts an Ihrem Computer.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="147"/>
        <source>Control your mouse and keyboard</source>
        <translation>Ihre Maus und Tastatur steuern</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="184"/>
        <location filename="../ui/consent.py" line="186"/>
        <source>Deny</source>
        <extracomment>the optional permissions&apos; boxes and notes, by name (only those asked for exist) what macOS must allow first (shown by the app from the probes; hidden elsewhere) what can travel and when, before the customer decides</extracomment>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="187"/>
        <source>Nothing is shared.</source>
        <translation>Es wird nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="188"/>
        <location filename="../ui/consent.py" line="190"/>
        <source>Allow</source>
        <translation>Zulassen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="192"/>
        <source>Your technician gets what is ticked above.</source>
        <translation>Ihr Techniker erhält, was oben angehakt ist.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="388"/>
        <source>Tick “See your screen” to allow a session.</source>
        <translation>Haken Sie „Ihren Bildschirm sehen“ an, um die Sitzung zuzulassen.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="395"/>
        <source>If you do not answer, the request is declined in {time}.</source>
        <translation>Wenn Sie nicht antworten, wird die Anfrage in {time} abgelehnt.</translation>
    </message>
</context>
<context>
    <name>ElevationNotice</name>
    <message>
        <location filename="../ui/elevation_notice.py" line="43"/>
        <source>Restart as administrator…</source>
        <translation>Als Administrator neu starten…</translation>
    </message>
    <message>
        <location filename="../ui/elevation_notice.py" line="44"/>
        <source>Ends the session and starts Fernhilfe again with administrator rights. Windows asks for your permission first.</source>
        <translation>Beendet die Sitzung und startet Fernhilfe mit Administratorrechten neu. Windows fragt Sie vorher um Erlaubnis.</translation>
    </message>
    <message>
        <location filename="../ui/elevation_notice.py" line="48"/>
        <source>Not now</source>
        <translation>Jetzt nicht</translation>
    </message>
    <message>
        <location filename="../ui/elevation_notice.py" line="60"/>
        <source>The window in front runs as administrator. Windows does not let your technician control it while Fernhilfe runs without administrator rights.</source>
        <translation>Das Fenster im Vordergrund läuft als Administrator. Windows lässt Ihren Techniker es nicht steuern, solange Fernhilfe ohne Administratorrechte läuft.</translation>
    </message>
</context>
<context>
    <name>FileNotice</name>
    <message>
        <location filename="../ui/files_panel.py" line="333"/>
        <source>Show files</source>
        <translation>Dateien zeigen</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="334"/>
        <source>Brings the Fernhilfe window with the list of files to the front.</source>
        <translation>Holt das Fernhilfe-Fenster mit der Liste der Dateien nach vorn.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="339"/>
        <source>File received: {name} ({size}). It was not opened.</source>
        <translation>Datei empfangen: {name} ({size}). Sie wurde nicht geöffnet.</translation>
    </message>
</context>
<context>
    <name>FilesPanel</name>
    <message>
        <location filename="../ui/files_panel.py" line="145"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="146"/>
        <source>Not allowed: the permission for files is off.</source>
        <translation>Nicht zugelassen: Dateien sind ausgeschaltet.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="148"/>
        <source>Stopped: you turned the permission for files off.</source>
        <translation>Beendet: Sie haben Dateien ausgeschaltet.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="150"/>
        <source>Not received: the file is larger than this program accepts.</source>
        <translation>Nicht empfangen: Die Datei ist größer, als dieses Programm annimmt.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="152"/>
        <source>Not received: there is not enough free disk space.</source>
        <translation>Nicht empfangen: Es ist nicht genug freier Speicherplatz da.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="154"/>
        <source>Not kept: the file arrived damaged (its check sum did not match).</source>
        <translation>Nicht behalten: Die Datei kam beschädigt an (ihre Prüfsumme passte nicht).</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="158"/>
        <source>Not sent: the file cannot be read.</source>
        <translation>Nicht gesendet: Die Datei kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="160"/>
        <source>Not sent: sending files is not allowed now.</source>
        <translation>Nicht gesendet: Dateien senden ist gerade nicht zugelassen.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="162"/>
        <source>Not sent: four files are already on their way. Please wait.</source>
        <translation>Nicht gesendet: Es sind schon vier Dateien unterwegs. Bitte warten Sie.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="164"/>
        <source>Stopped: the session ended.</source>
        <translation>Beendet: Die Sitzung ist zu Ende.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="167"/>
        <source>Stopped because of a problem.</source>
        <translation>Wegen eines Problems beendet.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="193"/>
        <source>Files</source>
        <extracomment>the open &quot;choose a file&quot; dialog (None when none is open); Qt&apos;s own dialog, so the customer&apos;s pick is the only way a file leaves</extracomment>
        <translation>Dateien</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="201"/>
        <source>Send a file to your technician…</source>
        <translation>Eine Datei an Ihren Techniker senden…</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="206"/>
        <source>You choose the file. Your technician cannot look at your files.</source>
        <translation>Sie wählen die Datei aus. Ihr Techniker kann Ihre Dateien nicht ansehen.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="249"/>
        <source>Files from your technician go to your folder {folder}; you can send files you choose.</source>
        <translation>Dateien von Ihrem Techniker kommen in Ihren Ordner {folder}; Sie können Dateien senden, die Sie auswählen.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="252"/>
        <source>Files from your technician go to your folder {folder}. Nothing is opened by itself.</source>
        <translation>Dateien von Ihrem Techniker kommen in Ihren Ordner {folder}. Nichts wird von selbst geöffnet.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="255"/>
        <source>You can send files you choose to your technician.</source>
        <translation>Sie können Dateien, die Sie auswählen, an Ihren Techniker senden.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="257"/>
        <source>Files are not allowed now.</source>
        <translation>Dateien sind gerade nicht zugelassen.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="284"/>
        <source>Send a file to your technician</source>
        <translation>Eine Datei an Ihren Techniker senden</translation>
    </message>
</context>
<context>
    <name>Identity</name>
    <message>
        <location filename="../ui/identity.py" line="32"/>
        <source>The technician did not prove who they are.</source>
        <translation>Der Techniker hat nicht nachgewiesen, wer er ist.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="34"/>
        <source>This copy of Fernhilfe cannot check who a technician is.</source>
        <translation>Dieses Fernhilfe-Programm kann nicht prüfen, wer ein Techniker ist.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="36"/>
        <source>The technician&apos;s certificate is damaged and cannot be read.</source>
        <translation>Das Zertifikat des Technikers ist beschädigt und kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="38"/>
        <source>The technician&apos;s certificate is from a company that this program does not trust.</source>
        <translation>Das Zertifikat des Technikers stammt von einer Firma, der dieses Programm nicht vertraut.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="42"/>
        <source>The technician&apos;s certificate has been altered or forged.</source>
        <translation>Das Zertifikat des Technikers wurde verändert oder gefälscht.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="44"/>
        <source>The technician&apos;s certificate has expired.</source>
        <translation>Das Zertifikat des Technikers ist abgelaufen.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="46"/>
        <source>The technician&apos;s certificate is not valid yet. Please check the date and time of this computer.</source>
        <translation>Das Zertifikat des Technikers ist noch nicht gültig. Bitte prüfen Sie Datum und Uhrzeit dieses Computers.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="50"/>
        <source>The technician&apos;s certificate has been revoked by their company.</source>
        <translation>Das Zertifikat des Technikers wurde von seiner Firma gesperrt.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="52"/>
        <source>It could not be checked whether the technician&apos;s certificate has been revoked (the revocation list could not be loaded).</source>
        <translation>Es konnte nicht geprüft werden, ob das Zertifikat des Technikers gesperrt wurde (die Sperrliste konnte nicht geladen werden).</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="56"/>
        <source>It could not be checked whether the technician&apos;s certificate has been revoked (the revocation list is out of date).</source>
        <translation>Es konnte nicht geprüft werden, ob das Zertifikat des Technikers gesperrt wurde (die Sperrliste ist veraltet).</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="60"/>
        <source>The technician&apos;s proof does not belong to this session.</source>
        <translation>Der Nachweis des Technikers gehört nicht zu dieser Sitzung.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="63"/>
        <source>The technician could not be verified.</source>
        <translation>Der Techniker konnte nicht verifiziert werden.</translation>
    </message>
</context>
<context>
    <name>IdentityCard</name>
    <message>
        <location filename="../ui/identity.py" line="147"/>
        <source>%Y-%m-%d</source>
        <translation>%d.%m.%Y</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="151"/>
        <source>Verified by {organisation}</source>
        <translation>Verifiziert von {organisation}</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="153"/>
        <source>Certificate valid until {date}</source>
        <translation>Zertifikat gültig bis {date}</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="156"/>
        <source>Verified technician: {name}, {organisation}</source>
        <translation>Verifizierter Techniker: {name}, {organisation}</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="161"/>
        <source>(no name given)</source>
        <translation>(kein Name angegeben)</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="162"/>
        <source>(no company given)</source>
        <translation>(keine Firma angegeben)</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="164"/>
        <source>Not verified</source>
        <translation>Nicht verifiziert</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="166"/>
        <source>Name given by the caller: {name}</source>
        <translation>Name laut Anrufer: {name}</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="168"/>
        <source>Company given by the caller: {organisation}</source>
        <translation>Firma laut Anrufer: {organisation}</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="169"/>
        <source>Nobody has checked this name or company.</source>
        <translation>Niemand hat diesen Namen oder diese Firma geprüft.</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="171"/>
        <source>Not verified: {reason}</source>
        <translation>Nicht verifiziert: {reason}</translation>
    </message>
</context>
<context>
    <name>IdentityMark</name>
    <message>
        <location filename="../ui/identity.py" line="85"/>
        <source>Verified technician</source>
        <translation>Verifizierter Techniker</translation>
    </message>
    <message>
        <location filename="../ui/identity.py" line="86"/>
        <source>Not verified</source>
        <translation>Nicht verifiziert</translation>
    </message>
</context>
<context>
    <name>MacPermissionNotice</name>
    <message>
        <location filename="../ui/mac_permissions.py" line="199"/>
        <source>Your screen is not shown yet: macOS does not allow Fernhilfe to record it. Switch Fernhilfe on in System Settings → Privacy &amp; Security → Screen Recording. Your screen is shown as soon as macOS allows it.</source>
        <translation>Ihr Bildschirm wird noch nicht gezeigt: macOS erlaubt Fernhilfe keine Bildschirmaufnahme. Schalten Sie Fernhilfe unter Systemeinstellungen → Datenschutz &amp; Sicherheit → Bildschirmaufnahme ein. Ihr Bildschirm wird gezeigt, sobald macOS es erlaubt.</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="203"/>
        <source>Your technician cannot control this computer yet: macOS does not allow it. Switch Fernhilfe on in System Settings → Privacy &amp; Security → Accessibility. Control starts as soon as macOS allows it.</source>
        <translation>Ihr Techniker kann diesen Computer noch nicht steuern: macOS erlaubt es nicht. Schalten Sie Fernhilfe unter Systemeinstellungen → Datenschutz &amp; Sicherheit → Bedienungshilfen ein. Die Steuerung beginnt, sobald macOS es erlaubt.</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="207"/>
        <source>Still not shown after you allowed it? macOS may only notice once Fernhilfe is started again: end the session, start Fernhilfe again and give your technician the new code.</source>
        <translation>Immer noch nicht gezeigt, obwohl Sie es erlaubt haben? macOS bemerkt es eventuell erst, wenn Fernhilfe neu gestartet wird: Beenden Sie die Sitzung, starten Sie Fernhilfe neu und nennen Sie Ihrem Techniker den neuen Code.</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="212"/>
        <source>To show your screen, macOS must allow Fernhilfe to record it: System Settings → Privacy &amp; Security → Screen Recording.</source>
        <translation>Damit Ihr Bildschirm gezeigt werden kann, muss macOS Fernhilfe die Bildschirmaufnahme erlauben: Systemeinstellungen → Datenschutz &amp; Sicherheit → Bildschirmaufnahme.</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="215"/>
        <source>To let your technician control your mouse and keyboard, macOS must allow Fernhilfe to control this computer: System Settings → Privacy &amp; Security → Accessibility.</source>
        <translation>Damit Ihr Techniker Maus und Tastatur steuern kann, muss macOS Fernhilfe die Steuerung dieses Computers erlauben: Systemeinstellungen → Datenschutz &amp; Sicherheit → Bedienungshilfen.</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="219"/>
        <source>Already allowed? macOS may only notice once Fernhilfe is started again.</source>
        <translation>Schon erlaubt? macOS bemerkt es eventuell erst, wenn Fernhilfe neu gestartet wird.</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="221"/>
        <source>Open settings</source>
        <translation>Einstellungen öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="222"/>
        <source>Ask macOS</source>
        <translation>macOS fragen</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="224"/>
        <source>Opens System Settings at Privacy &amp; Security → Screen Recording.</source>
        <translation>Öffnet die Systemeinstellungen bei Datenschutz &amp; Sicherheit → Bildschirmaufnahme.</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="226"/>
        <source>Opens System Settings at Privacy &amp; Security → Accessibility.</source>
        <translation>Öffnet die Systemeinstellungen bei Datenschutz &amp; Sicherheit → Bedienungshilfen.</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="229"/>
        <source>macOS asks you in its own window.</source>
        <translation>macOS fragt Sie in einem eigenen Fenster.</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="233"/>
        <source>Restart Fernhilfe</source>
        <translation>Fernhilfe neu starten</translation>
    </message>
    <message>
        <location filename="../ui/mac_permissions.py" line="236"/>
        <source>Closes Fernhilfe and starts it again. You get a new code.</source>
        <translation>Schließt Fernhilfe und startet es neu. Sie bekommen einen neuen Code.</translation>
    </message>
</context>
<context>
    <name>PermissionRequest</name>
    <message>
        <location filename="../ui/permissions.py" line="181"/>
        <location filename="../ui/permissions.py" line="189"/>
        <source>Allow</source>
        <translation>Zulassen</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="183"/>
        <location filename="../ui/permissions.py" line="192"/>
        <source>Not now</source>
        <translation>Jetzt nicht</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="191"/>
        <source>Your technician also gets what is ticked.</source>
        <translation>Ihr Techniker bekommt zusätzlich, was angehakt ist.</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="193"/>
        <source>Nothing more is allowed.</source>
        <translation>Es wird nichts weiter zugelassen.</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="231"/>
        <source>{name} also asks to:</source>
        <translation>{name} bittet außerdem darum:</translation>
    </message>
</context>
<context>
    <name>PermissionSwitches</name>
    <message>
        <location filename="../ui/permissions.py" line="123"/>
        <source>You allow your technician to:</source>
        <translation>Sie lassen zu, dass Ihr Techniker:</translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <location filename="../ui/permissions.py" line="43"/>
        <source>Share the clipboard (copied text only)</source>
        <extracomment>The optional permissions in the order every window lists them (api17.md section 1). Where received files go, as the customer reads it (desktop.transfers.default_download_dir).</extracomment>
        <translation>Zwischenablage teilen (nur kopierter Text)</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="45"/>
        <source>Receive files from your technician</source>
        <translation>Dateien von Ihrem Techniker empfangen</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="47"/>
        <source>Send files to your technician</source>
        <translation>Dateien an Ihren Techniker senden</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="56"/>
        <source>Copied text goes both ways. Never pictures or files.</source>
        <translation>Kopierter Text geht in beide Richtungen. Nie Bilder oder Dateien.</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="58"/>
        <source>Saved in {folder}. Nothing is opened or started by itself.</source>
        <translation>Gespeichert in {folder}. Nichts wird von selbst geöffnet oder gestartet.</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="62"/>
        <source>Only files you choose yourself. Your technician cannot look at your files.</source>
        <translation>Nur Dateien, die Sie selbst auswählen. Ihr Techniker kann Ihre Dateien nicht ansehen.</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="71"/>
        <source>What is sent, encrypted: your screen and, with control, your technician&apos;s mouse and keyboard. Clipboard text and files only while you allow them; you can stop them at any time. The session record lists each file and how much clipboard text was sent, never the text itself.</source>
        <translation>Gesendet wird, verschlüsselt: Ihr Bildschirm und, mit Steuern, Maus und Tastatur Ihres Technikers. Text aus der Zwischenablage und Dateien nur, solange Sie es zulassen; Sie können das jederzeit beenden. Das Sitzungsprotokoll nennt jede Datei und wie viel Text aus der Zwischenablage gesendet wurde, nie den Text selbst.</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="84"/>
        <source>Clipboard shared</source>
        <translation>Zwischenablage geteilt</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="86"/>
        <source>Files both ways</source>
        <translation>Dateien in beide Richtungen</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="88"/>
        <source>Receiving files</source>
        <translation>Dateien empfangen</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="90"/>
        <source>Sending files</source>
        <translation>Dateien senden</translation>
    </message>
</context>
<context>
    <name>RecordWindow</name>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="95"/>
        <location filename="../../desktop/qt/record_window.py" line="747"/>
        <location filename="../../desktop/qt/record_window.py" line="781"/>
        <source>Session records</source>
        <extracomment>Where an event without a readable time sorts among the chat (first).</extracomment>
        <translation>Sitzungsprotokolle</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="100"/>
        <source>Every session leaves a session record on this computer: who connected, when, with which check number, what was allowed, and how the session ended. All times are local times.</source>
        <translation>Jede Sitzung hinterlässt ein Sitzungsprotokoll auf diesem Computer: wer sich verbunden hat, wann, mit welcher Prüfzahl, was zugelassen war und wie die Sitzung endete. Alle Zeiten sind Ortszeit.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="108"/>
        <source>Started</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="108"/>
        <source>With</source>
        <translation>Mit</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="108"/>
        <location filename="../../desktop/qt/record_window.py" line="415"/>
        <source>How it ended</source>
        <translation>Wie die Sitzung endete</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="113"/>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="114"/>
        <source>Newest session first. Use the arrow keys to choose a session.</source>
        <translation>Die neueste Sitzung steht oben. Mit den Pfeiltasten wählen Sie eine Sitzung.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="116"/>
        <source>Column headings</source>
        <translation>Spaltenüberschriften</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="125"/>
        <source>Session details</source>
        <translation>Details der Sitzung</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="127"/>
        <location filename="../../desktop/qt/record_window.py" line="193"/>
        <source>No sessions recorded yet.</source>
        <translation>Noch keine Sitzungsprotokolle vorhanden.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="139"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="140"/>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="147"/>
        <source>Save as PDF…</source>
        <translation>Als PDF speichern…</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="148"/>
        <source>Save as HTML…</source>
        <translation>Als HTML speichern…</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="141"/>
        <source>All sessions</source>
        <translation>Alle Sitzungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="143"/>
        <source>Save all sessions</source>
        <translation>Alle Sitzungen speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="145"/>
        <source>When ticked, PDF and HTML contain every listed session, not only the selected one.</source>
        <translation>Wenn angehakt, enthalten PDF und HTML alle aufgeführten Sitzungen, nicht nur die ausgewählte.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="149"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="238"/>
        <source>unknown time</source>
        <translation>Zeit unbekannt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="239"/>
        <source>%Y-%m-%d %H:%M</source>
        <translation>%d.%m.%Y, %H:%M</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="255"/>
        <source>Customer (check number {0})</source>
        <translation>Kunde (Prüfzahl {0})</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="257"/>
        <source>Unknown technician</source>
        <translation>Unbekannter Techniker</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="259"/>
        <source>{0}, {1}</source>
        <translation>{0}, {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="268"/>
        <source>see your screen</source>
        <translation>Ihren Bildschirm sehen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="268"/>
        <source>see the screen</source>
        <translation>den Bildschirm sehen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="269"/>
        <source>control (mouse and keyboard)</source>
        <translation>steuern (Maus und Tastatur)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="270"/>
        <source>clipboard</source>
        <translation>Zwischenablage</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="271"/>
        <source>receive files from your technician</source>
        <translation>Dateien von Ihrem Techniker empfangen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="272"/>
        <source>send files to the customer</source>
        <translation>Dateien an den Kunden senden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="273"/>
        <source>send files to your technician</source>
        <translation>Dateien an Ihren Techniker senden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="274"/>
        <source>receive files from the customer</source>
        <translation>Dateien vom Kunden empfangen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="275"/>
        <source>files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="276"/>
        <source>chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="280"/>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="286"/>
        <source>The record has no end: the session may still be running, or the program was stopped.</source>
        <translation>Das Protokoll hat kein Ende: Die Sitzung läuft vielleicht noch, oder das Programm wurde unterbrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="291"/>
        <location filename="../../desktop/qt/record_window.py" line="294"/>
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="292"/>
        <source>The customer ended the session.</source>
        <translation>Der Kunde hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="293"/>
        <source>The technician ended the session.</source>
        <translation>Der Techniker hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="295"/>
        <source>You denied the session.</source>
        <translation>Sie haben die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="296"/>
        <source>The customer denied the session.</source>
        <translation>Der Kunde hat die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="297"/>
        <source>The request was not answered in time.</source>
        <translation>Die Anfrage wurde nicht rechtzeitig beantwortet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="298"/>
        <source>The code did not match.</source>
        <translation>Der Code passte nicht.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="299"/>
        <source>The connection to the technician was lost.</source>
        <translation>Die Verbindung zum Techniker ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="300"/>
        <source>The connection to the customer was lost.</source>
        <translation>Die Verbindung zum Kunden ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="301"/>
        <source>The technician&apos;s computer stopped answering.</source>
        <translation>Der Computer des Technikers hat nicht mehr geantwortet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="302"/>
        <source>The customer&apos;s computer stopped answering.</source>
        <translation>Der Computer des Kunden hat nicht mehr geantwortet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="303"/>
        <source>An error on the other computer ended the session.</source>
        <translation>Ein Fehler auf dem anderen Computer hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="304"/>
        <source>An error on this computer ended the session.</source>
        <translation>Ein Fehler auf diesem Computer hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="305"/>
        <source>The two programs&apos; versions do not fit together.</source>
        <translation>Die Versionen der beiden Programme passen nicht zusammen.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="307"/>
        <source>The other computer could not save its session record, so the session was ended.</source>
        <translation>Der andere Computer konnte sein Sitzungsprotokoll nicht speichern, deshalb wurde die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="309"/>
        <source>This computer could not save the session record, so the session was ended.</source>
        <translation>Dieser Computer konnte das Sitzungsprotokoll nicht speichern, deshalb wurde die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="311"/>
        <source>Fernhilfe ended unexpectedly (for example, the computer was switched off).</source>
        <translation>Fernhilfe wurde unerwartet beendet (zum Beispiel, weil der Computer ausgeschaltet wurde).</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="313"/>
        <source>The connection was interrupted and did not come back in time.</source>
        <translation>Die Verbindung war unterbrochen und kam nicht rechtzeitig wieder.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="316"/>
        <source>You were not verified, so the customer&apos;s program refused the session.</source>
        <translation>Sie waren nicht verifiziert, darum hat das Programm des Kunden die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="318"/>
        <source>The technician was not verified, so the session was refused.</source>
        <translation>Der Techniker war nicht verifiziert, darum wurde die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="321"/>
        <source>The other computer sent data this program does not accept; the session was ended for safety.</source>
        <translation>Der andere Computer hat Daten gesendet, die dieses Programm nicht annimmt. Die Sitzung wurde zur Sicherheit beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="326"/>
        <source>The session ended (reason: {0}).</source>
        <translation>Die Sitzung wurde beendet (Grund: {0}).</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="332"/>
        <source>cannot be read</source>
        <translation>nicht lesbar</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="334"/>
        <location filename="../../desktop/qt/record_window.py" line="355"/>
        <source>no end recorded</source>
        <translation>kein Ende vermerkt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="336"/>
        <source>ended by the customer</source>
        <translation>vom Kunden beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="337"/>
        <source>ended by the technician</source>
        <translation>vom Techniker beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="338"/>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="339"/>
        <source>not answered in time</source>
        <translation>nicht rechtzeitig beantwortet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="340"/>
        <source>code did not match</source>
        <translation>Code passte nicht</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="341"/>
        <source>ended unexpectedly</source>
        <translation>unerwartet beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="342"/>
        <location filename="../../desktop/qt/record_window.py" line="343"/>
        <location filename="../../desktop/qt/record_window.py" line="344"/>
        <source>connection lost</source>
        <translation>Verbindung abgebrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="345"/>
        <source>not verified, refused</source>
        <translation>nicht verifiziert, abgelehnt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="347"/>
        <source>ended by an error</source>
        <translation>durch einen Fehler beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="360"/>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="361"/>
        <source>{0} to {1} (local time, {2})</source>
        <translation>{0} bis {1} (Ortszeit, {2})</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="364"/>
        <location filename="../../desktop/qt/record_window.py" line="595"/>
        <source>Technician</source>
        <translation>Techniker</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="364"/>
        <location filename="../../desktop/qt/record_window.py" line="598"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="366"/>
        <source>Support company</source>
        <translation>Ihr IT-Dienstleister</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="368"/>
        <source>Session with</source>
        <translation>Sitzung mit</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="368"/>
        <source>a customer</source>
        <translation>einem Kunden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="369"/>
        <source>Check number</source>
        <translation>Prüfzahl</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="369"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="371"/>
        <source>Certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="373"/>
        <source>Asked for</source>
        <translation>Angefragt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="374"/>
        <source>Your answer</source>
        <translation>Ihre Antwort</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="374"/>
        <source>The customer&apos;s answer</source>
        <translation>Antwort des Kunden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="376"/>
        <source>{0}  allowed from then on: {1}</source>
        <translation>{0}  ab da zugelassen: {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="379"/>
        <source>Permissions</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="381"/>
        <source>Asked for later</source>
        <translation>Später angefragt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="386"/>
        <source>Picture settings</source>
        <translation>Bildeinstellungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="389"/>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="392"/>
        <source>Screen sharing</source>
        <translation>Bildschirmfreigabe</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="395"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="398"/>
        <source>Clipboard</source>
        <translation>Zwischenablage</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="401"/>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="403"/>
        <source>Laser pointer and drawings</source>
        <translation>Laserpointer und Markierungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="408"/>
        <source>{0} further chat messages</source>
        <translation>{0} weitere Chat-Nachrichten</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="410"/>
        <source>{0} further files</source>
        <translation>{0} weitere Dateien</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="412"/>
        <source>Not shown</source>
        <translation>Nicht angezeigt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="427"/>
        <source>Only the beginning and the end of this record were read (the record or the folder is very large).</source>
        <translation>Nur Anfang und Ende dieses Protokolls wurden gelesen (das Protokoll oder der Ordner ist sehr groß).</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="406"/>
        <source>{0} further changes</source>
        <translation>{0} weitere Änderungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="419"/>
        <source>Mouse and keyboard</source>
        <translation>Maus und Tastatur</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="421"/>
        <source>Wrong codes</source>
        <translation>Falsche Codes</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="422"/>
        <source>{0} attempt(s) with a wrong code</source>
        <translation>{0} Versuch(e) mit falschem Code</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="425"/>
        <source>This record cannot be read.</source>
        <translation>Dieses Protokoll ist nicht lesbar.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="430"/>
        <source>{0} line(s) of this record are damaged or were changed.</source>
        <translation>{0} Zeile(n) dieses Protokolls sind beschädigt oder wurden verändert.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="433"/>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="434"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="441"/>
        <source>certificate no. {0}</source>
        <translation>Zertifikat Nr. {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="444"/>
        <source>verified</source>
        <translation>verifiziert</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="445"/>
        <source>presented</source>
        <translation>vorgelegt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="448"/>
        <source>none presented</source>
        <translation>keines vorgelegt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="451"/>
        <source>no certificate</source>
        <translation>kein Zertifikat</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="452"/>
        <source>this computer cannot check certificates</source>
        <translation>dieser Computer kann Zertifikate nicht prüfen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="453"/>
        <source>the certificate is damaged</source>
        <translation>das Zertifikat ist beschädigt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="454"/>
        <source>from a company not trusted here</source>
        <translation>von einer Firma, der hier nicht vertraut wird</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="455"/>
        <source>the certificate was altered or forged</source>
        <translation>das Zertifikat wurde verändert oder gefälscht</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="456"/>
        <source>the certificate has expired</source>
        <translation>das Zertifikat ist abgelaufen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="457"/>
        <source>the certificate is not valid yet</source>
        <translation>das Zertifikat ist noch nicht gültig</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="458"/>
        <source>the certificate is revoked</source>
        <translation>das Zertifikat ist gesperrt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="459"/>
        <source>the revocation list could not be loaded</source>
        <translation>die Sperrliste konnte nicht geladen werden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="460"/>
        <source>the revocation list is out of date</source>
        <translation>die Sperrliste ist veraltet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="461"/>
        <source>the proof does not belong to this session</source>
        <translation>der Nachweis gehört nicht zu dieser Sitzung</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="463"/>
        <source>not verified ({0})</source>
        <translation>nicht verifiziert ({0})</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="464"/>
        <source>unknown result</source>
        <translation>unbekanntes Ergebnis</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="468"/>
        <source>refused: {0}</source>
        <translation>abgelehnt: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="475"/>
        <source>nothing arrived</source>
        <translation>es kam nichts mehr an</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="476"/>
        <source>the connection dropped</source>
        <translation>die Verbindung brach ab</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="477"/>
        <source>connection service restarting</source>
        <translation>Verbindungsdienst startet neu</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="484"/>
        <source>{0}  Connection interrupted ({1})</source>
        <translation>{0}  Verbindung unterbrochen ({1})</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="486"/>
        <source>{0}  Connection interrupted</source>
        <translation>{0}  Verbindung unterbrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="489"/>
        <source>back after {0} s</source>
        <translation>nach {0} s wieder da</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="490"/>
        <source>back</source>
        <translation>wieder da</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="497"/>
        <source>{0}  {1} held key(s) and mouse button(s) released</source>
        <translation>{0}  {1} gedrückte Taste(n) und Maustaste(n) losgelassen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="516"/>
        <source>all monitors shared</source>
        <translation>alle Monitore freigegeben</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="518"/>
        <source>monitor {0} of {1} shared</source>
        <translation>Monitor {0} von {1} freigegeben</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="520"/>
        <source>monitor {0} shared</source>
        <translation>Monitor {0} freigegeben</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="522"/>
        <source>another monitor shared</source>
        <translation>ein anderer Monitor freigegeben</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="527"/>
        <source>monitors plugged in or out: now {0}</source>
        <translation>Monitore angeschlossen oder getrennt: jetzt {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="528"/>
        <source>monitors plugged in or out</source>
        <translation>Monitore angeschlossen oder getrennt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="530"/>
        <source>asked: “Still sharing?”</source>
        <translation>gefragt: „Weiterhin freigeben?“</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="532"/>
        <source>answered: Continue</source>
        <translation>beantwortet: Fortsetzen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="535"/>
        <source>sharing paused: no answer in time</source>
        <translation>Freigabe angehalten: nicht rechtzeitig beantwortet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="537"/>
        <source>sharing paused by you</source>
        <translation>Freigabe von Ihnen angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="538"/>
        <source>sharing paused by the customer</source>
        <translation>Freigabe vom Kunden angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="539"/>
        <source>sharing paused</source>
        <translation>Freigabe angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="541"/>
        <source>sharing continued</source>
        <translation>Freigabe fortgesetzt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="545"/>
        <source>Ctrl+Alt+Del sent by your technician</source>
        <translation>Strg+Alt+Entf von Ihrem Techniker gesendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="546"/>
        <source>Ctrl+Alt+Del sent</source>
        <translation>Strg+Alt+Entf gesendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="552"/>
        <source>a window running as administrator was in front: your technician&apos;s input could not reach it</source>
        <translation>ein Fenster, das als Administrator läuft, war im Vordergrund: die Eingaben Ihres Technikers konnten es nicht erreichen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="554"/>
        <source>a window running as administrator was in front on the customer&apos;s computer: input could not reach it</source>
        <translation>auf dem Computer des Kunden war ein Fenster im Vordergrund, das als Administrator läuft: Eingaben konnten es nicht erreichen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="557"/>
        <source>the window in front could be controlled again</source>
        <translation>das Fenster im Vordergrund ließ sich wieder steuern</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="558"/>
        <source>Windows did not allow Ctrl+Alt+Del</source>
        <translation>Windows hat Strg+Alt+Entf nicht erlaubt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="560"/>
        <source>macOS did not allow Screen Recording: the picture was held back</source>
        <translation>macOS hat die Bildschirmaufnahme nicht erlaubt: das Bild wurde zurückgehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="561"/>
        <source>macOS allowed Screen Recording: the picture went on</source>
        <translation>macOS hat die Bildschirmaufnahme erlaubt: das Bild ging weiter</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="563"/>
        <source>macOS did not allow control (Accessibility): input was held back</source>
        <translation>macOS hat die Steuerung nicht erlaubt (Bedienungshilfen): Eingaben wurden zurückgehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="564"/>
        <source>macOS allowed control (Accessibility)</source>
        <translation>macOS hat die Steuerung erlaubt (Bedienungshilfen)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="575"/>
        <source>You chose to record the chat.</source>
        <translation>Sie haben gewählt, den Chat zu protokollieren.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="576"/>
        <source>The customer chose to record the chat.</source>
        <translation>Der Kunde hat gewählt, den Chat zu protokollieren.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="578"/>
        <source>You stopped recording the chat.</source>
        <translation>Sie protokollieren den Chat nicht mehr.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="579"/>
        <source>The customer stopped recording the chat.</source>
        <translation>Der Kunde protokolliert den Chat nicht mehr.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="586"/>
        <source>not recorded (you did not choose to record it)</source>
        <translation>nicht protokolliert (Sie haben das Protokollieren nicht gewählt)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="587"/>
        <source>not recorded (the customer did not choose to record it)</source>
        <translation>nicht protokolliert (der Kunde hat das Protokollieren nicht gewählt)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="596"/>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="596"/>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="608"/>
        <source>text from your technician: {0} time(s)</source>
        <translation>Text von Ihrem Techniker: {0}-mal</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="609"/>
        <source>text to the customer: {0} time(s)</source>
        <translation>Text an den Kunden: {0}-mal</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="610"/>
        <source>text to your technician: {0} time(s)</source>
        <translation>Text an Ihren Techniker: {0}-mal</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="611"/>
        <source>text from the customer: {0} time(s)</source>
        <translation>Text vom Kunden: {0}-mal</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="617"/>
        <source>no text copied</source>
        <translation>kein Text kopiert</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="618"/>
        <source>The copied text itself is not recorded.</source>
        <translation>Der kopierte Text selbst wird nicht protokolliert.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="628"/>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="633"/>
        <source>Check sum (SHA-256): {0}</source>
        <translation>Prüfsumme (SHA-256): {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="636"/>
        <source>saved as {0}</source>
        <translation>gespeichert als {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="643"/>
        <source>From your technician</source>
        <translation>Von Ihrem Techniker</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="643"/>
        <source>To the customer</source>
        <translation>An den Kunden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="645"/>
        <source>To your technician</source>
        <translation>An Ihren Techniker</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="645"/>
        <source>From the customer</source>
        <translation>Vom Kunden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="646"/>
        <source>Direction unknown</source>
        <translation>Richtung unbekannt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="651"/>
        <source>arrived complete, check sum matched</source>
        <translation>vollständig angekommen, Prüfsumme stimmte</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="654"/>
        <source>not finished: the session ended first (sending the same file again continues where it stopped)</source>
        <translation>nicht abgeschlossen: die Sitzung endete vorher (wird dieselbe Datei erneut gesendet, geht es dort weiter)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="656"/>
        <source>not finished (no end recorded)</source>
        <translation>nicht abgeschlossen (kein Ende protokolliert)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="658"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="659"/>
        <source>refused: files were not allowed</source>
        <translation>abgelehnt: Dateien waren nicht zugelassen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="660"/>
        <source>stopped: the permission for files was turned off</source>
        <translation>beendet: Dateien wurden ausgeschaltet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="661"/>
        <source>refused: the file was too large</source>
        <translation>abgelehnt: Die Datei war zu groß</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="662"/>
        <source>refused: not enough free disk space</source>
        <translation>abgelehnt: nicht genug freier Speicherplatz</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="663"/>
        <source>arrived damaged (check sum did not match), not kept</source>
        <translation>beschädigt angekommen (Prüfsumme passte nicht), nicht behalten</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="664"/>
        <source>stopped by an error</source>
        <translation>durch einen Fehler beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="666"/>
        <source>stopped</source>
        <translation>beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="669"/>
        <location filename="../../desktop/qt/record_window.py" line="670"/>
        <source>by you</source>
        <translation>von Ihnen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="669"/>
        <source>by the customer</source>
        <translation>vom Kunden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="670"/>
        <source>by your technician</source>
        <translation>von Ihrem Techniker</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="672"/>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="676"/>
        <source>{0} laser pointer position(s), {1} drawing part(s), cleared {2} time(s)</source>
        <translation>{0} Laserpointer-Position(en), {1} Markierungsteil(e), {2}-mal gelöscht</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="685"/>
        <source>.</source>
        <translation>,</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="691"/>
        <source>no answer recorded</source>
        <translation>keine Antwort vermerkt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="693"/>
        <source>allowed at {0} – {1}</source>
        <translation>zugelassen um {0} – {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="696"/>
        <source>not answered in time ({0})</source>
        <translation>nicht rechtzeitig beantwortet ({0})</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="697"/>
        <source>denied at {0}</source>
        <translation>abgelehnt um {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="703"/>
        <source>quality unknown</source>
        <translation>Qualität unbekannt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="705"/>
        <source>best quality (lossless)</source>
        <translation>beste Qualität (verlustfrei)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="707"/>
        <source>quality {0}</source>
        <translation>Qualität {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="709"/>
        <source>no bandwidth limit</source>
        <translation>ohne Begrenzung der Datenrate</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="711"/>
        <source>at most {0} kB/s</source>
        <translation>höchstens {0} kB/s</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="717"/>
        <source>{0} action(s) sent</source>
        <translation>{0} Eingabe(n) gesendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="718"/>
        <source>{0} action(s) by the technician carried out</source>
        <translation>{0} Eingabe(n) des Technikers ausgeführt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="720"/>
        <source>; {0} refused because control was not allowed</source>
        <translation>; {0} abgewiesen, weil Steuern nicht zugelassen war</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="748"/>
        <source>Saved on {0}.</source>
        <translation>Gespeichert am {0}.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="749"/>
        <source>en</source>
        <translation>de</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="798"/>
        <source>session-record</source>
        <translation>Sitzungsprotokoll</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="803"/>
        <source>Save as PDF</source>
        <translation>Als PDF speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="803"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-Dateien (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="807"/>
        <source>Save as HTML</source>
        <translation>Als HTML speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="807"/>
        <source>Web pages (*.html)</source>
        <translation>Webseiten (*.html)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="831"/>
        <source>The file could not be saved. Please choose another folder.</source>
        <translation>Die Datei konnte nicht gespeichert werden. Bitte wählen Sie einen anderen Ordner.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="834"/>
        <source>Saved: {0}</source>
        <translation>Gespeichert: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="841"/>
        <source>The folder could not be opened: {0}</source>
        <translation>Der Ordner konnte nicht geöffnet werden: {0}</translation>
    </message>
</context>
<context>
    <name>SasNotice</name>
    <message>
        <location filename="../ui/elevation_notice.py" line="98"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../ui/elevation_notice.py" line="98"/>
        <source>Hides this note.</source>
        <translation>Blendet diesen Hinweis aus.</translation>
    </message>
    <message>
        <location filename="../ui/elevation_notice.py" line="103"/>
        <source>Your technician sent Ctrl+Alt+Del. Windows does not allow Fernhilfe to send it on this computer: please press Ctrl+Alt+Del on your keyboard yourself.</source>
        <translation>Ihr Techniker hat Strg+Alt+Entf gesendet. Windows erlaubt Fernhilfe auf diesem Computer nicht, das zu senden: Bitte drücken Sie selbst Strg+Alt+Entf auf Ihrer Tastatur.</translation>
    </message>
</context>
<context>
    <name>SessionOverlay</name>
    <message>
        <location filename="../ui/overlay.py" line="512"/>
        <location filename="../ui/overlay.py" line="531"/>
        <location filename="../ui/overlay.py" line="644"/>
        <source>your technician</source>
        <extracomment>A Qt click whose press came this close (s) to a press acted on from the raw-press path is that same press (possible only in rare grab states) and is not acted on twice; a later, deliberate click (e.g. &quot;Allow control&quot; right after a stop) counts as usual. How often the panel is raised again and checked to be on its monitor (ms). Flags of every frame window; tests check them, the integrator need not care. The panel bypasses the window manager too (see the module docstring): injected window-manager shortcuts cannot minimise, move, shade or send it to another desktop. It accepts the keyboard focus when it is given (assistive tools; then Tab moves between its buttons, Space presses one) but never takes it: not when shown or raised, not on a click. Were a click to focus it, the technician&apos;s next keys after &quot;Allow control&quot; would land on the panel (a Space would press Stop control) instead of the program they work in. The keyboard way for the customer is the pair of global hotkeys, which work wherever the focus is. &quot;Still sharing?&quot; and the pause note (hidden until asked, issue 15) the customer&apos;s answers to &quot;still sharing?&quot; (see agent.ui.share_prompt) the customer grants (True) or revokes (False) an optional permission (issue 17): from the panel&apos;s &quot;Turn off&quot; (every optional one that is on) or its Allow of a later request the customer clicked &quot;Show files&quot; on the panel&apos;s file notice the customer&apos;s monitors (virtual-desktop pixels) and the shared one (0 = all), as the agent last said (set_monitors); until then every monitor gets its frame</extracomment>
        <translation>Ihr Techniker</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="647"/>
        <source>The connection to {name} is interrupted. Waiting for it to come back…</source>
        <translation>Die Verbindung zu {name} ist unterbrochen. Fernhilfe wartet, bis sie wieder steht…</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="650"/>
        <source>The connection to {name} was lost. Reconnecting…</source>
        <translation>Die Verbindung zu {name} ist abgebrochen. Sie wird wiederhergestellt…</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="653"/>
        <source>The connection service is restarting. Reconnecting…</source>
        <translation>Der Verbindungsdienst startet neu. Verbindung wird wiederhergestellt…</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="655"/>
        <source>Sharing with {name} is paused</source>
        <translation>Freigabe für {name} angehalten</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="657"/>
        <source>{name} can see and control your screen</source>
        <translation>{name} sieht und steuert Ihren Bildschirm</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="659"/>
        <source>{name} can see your screen</source>
        <translation>{name} sieht Ihren Bildschirm</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="661"/>
        <source>All monitors are shared</source>
        <translation>Alle Monitore sind freigegeben</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="662"/>
        <source>Monitor {n} of {count} is shared</source>
        <translation>Monitor {n} von {count} ist freigegeben</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="670"/>
        <source>Turn off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="673"/>
        <source>Your technician can no longer use the clipboard or send or receive files.</source>
        <translation>Ihr Techniker kann die Zwischenablage nicht mehr nutzen und keine Dateien mehr senden oder empfangen.</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="675"/>
        <source>Fernhilfe session</source>
        <translation>Fernhilfe-Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="676"/>
        <source>Session in progress</source>
        <translation>Sitzung läuft</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="677"/>
        <source>Ctrl+Alt+Home</source>
        <translation>Strg+Alt+Pos1</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="679"/>
        <source>Stop control</source>
        <translation>Steuerung beenden</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="679"/>
        <source>Allow control</source>
        <translation>Steuerung zulassen</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="681"/>
        <location filename="../ui/overlay.py" line="682"/>
        <source>or {keys}</source>
        <translation>oder {keys}</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="686"/>
        <source>Keyboard shortcut: {keys}</source>
        <translation>Tastenkürzel: {keys}</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="700"/>
        <source>Fernhilfe: session in progress</source>
        <translation>Fernhilfe: Sitzung läuft</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="680"/>
        <source>End session</source>
        <translation>Sitzung beenden</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="677"/>
        <source>Ctrl+Alt+End</source>
        <translation>Strg+Alt+Ende</translation>
    </message>
</context>
<context>
    <name>SessionView</name>
    <message>
        <location filename="../ui/session_view.py" line="68"/>
        <location filename="../ui/session_view.py" line="71"/>
        <source>End session</source>
        <extracomment>&quot;Anna can see and control your screen&quot;: what is true right now. &quot;The session began at 14:05.&quot; What the buttons do, in one plain sentence. &quot;The connection ... is interrupted&quot;: only while the link is quiet. Windows: the window in front runs as administrator (shown by ElevationMonitor), and Ctrl+Alt+Del Windows would not take from Fernhilfe</extracomment>
        <translation>Sitzung beenden</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="73"/>
        <source>Ends the session: your technician no longer sees your screen.</source>
        <translation>Beendet die Sitzung: Ihr Techniker sieht Ihren Bildschirm nicht mehr.</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="114"/>
        <source>Your technician</source>
        <extracomment>clipboard and files, one switch each for what the technician asked for (issue 17) the file transfers, &quot;Send a file to your technician…&quot; (issue 17)</extracomment>
        <translation>Ihr Techniker</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="117"/>
        <source>The session began at {time}.</source>
        <translation>Die Sitzung läuft seit {time} Uhr.</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="128"/>
        <source>{name} can see and control your screen</source>
        <translation>{name} sieht und steuert Ihren Bildschirm</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="131"/>
        <source>You can stop control at any time; your technician then only sees your screen. &quot;End session&quot; ends everything.</source>
        <translation>Sie können die Steuerung jederzeit beenden; Ihr Techniker sieht dann nur noch Ihren Bildschirm. „Sitzung beenden“ beendet alles.</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="133"/>
        <source>Stop control</source>
        <translation>Steuerung beenden</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="135"/>
        <source>Your technician can no longer use your mouse and keyboard.</source>
        <translation>Ihr Techniker kann Ihre Maus und Tastatur dann nicht mehr steuern.</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="137"/>
        <source>{name} can see your screen</source>
        <translation>{name} sieht Ihren Bildschirm</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="139"/>
        <source>Your technician cannot use your mouse or keyboard. &quot;End session&quot; ends everything.</source>
        <translation>Ihr Techniker kann Ihre Maus und Tastatur nicht steuern. „Sitzung beenden“ beendet alles.</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="141"/>
        <source>Allow control</source>
        <translation>Steuerung zulassen</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="143"/>
        <source>Lets your technician use your mouse and keyboard again.</source>
        <translation>Ihr Techniker kann Ihre Maus und Tastatur wieder steuern.</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="158"/>
        <source>The connection to your technician is interrupted. Waiting for it to come back…</source>
        <translation>Die Verbindung zu Ihrem Techniker ist unterbrochen. Fernhilfe wartet, bis sie wieder steht…</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="161"/>
        <source>The connection to your technician was lost. Reconnecting…</source>
        <translation>Die Verbindung zu Ihrem Techniker ist abgebrochen. Sie wird wiederhergestellt…</translation>
    </message>
    <message>
        <location filename="../ui/session_view.py" line="164"/>
        <source>The connection service is restarting. Reconnecting…</source>
        <translation>Der Verbindungsdienst startet neu. Verbindung wird wiederhergestellt…</translation>
    </message>
</context>
<context>
    <name>SharePrompt</name>
    <message>
        <location filename="../ui/share_prompt.py" line="153"/>
        <source>Without an answer, sharing pauses in {seconds} s.</source>
        <translation>Ohne Antwort wird die Freigabe in {seconds} s angehalten.</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="159"/>
        <source>your technician</source>
        <translation>Ihr Techniker</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="163"/>
        <source>Sharing paused: nothing is shown or controlled.</source>
        <translation>Freigabe angehalten: Es wird nichts gezeigt und nichts gesteuert.</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="166"/>
        <source>Nobody answered whether to go on. Click Resume to share again.</source>
        <translation>Niemand hat geantwortet, ob es weitergehen soll. Klicken Sie auf „Fortsetzen“, um wieder freizugeben.</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="168"/>
        <source>Click Resume to share again.</source>
        <translation>Klicken Sie auf „Fortsetzen“, um wieder freizugeben.</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="171"/>
        <source>Still sharing your screen with {name}?</source>
        <translation>Weiterhin Ihren Bildschirm für {name} freigeben?</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="173"/>
        <source>Continue</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="175"/>
        <source>Keeps sharing your screen with your technician.</source>
        <translation>Ihr Bildschirm bleibt für Ihren Techniker freigegeben.</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="176"/>
        <source>End session</source>
        <translation>Sitzung beenden</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="178"/>
        <source>Ends the session: your technician no longer sees your screen.</source>
        <translation>Beendet die Sitzung: Ihr Techniker sieht Ihren Bildschirm nicht mehr.</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="179"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/share_prompt.py" line="181"/>
        <source>Shares your screen with your technician again.</source>
        <translation>Gibt Ihren Bildschirm wieder für Ihren Techniker frei.</translation>
    </message>
</context>
<context>
    <name>Sizes</name>
    <message>
        <location filename="../../desktop/qt/sizes.py" line="21"/>
        <source>size unknown</source>
        <translation>Größe unbekannt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/sizes.py" line="24"/>
        <source>{0} bytes</source>
        <translation>{0} Byte</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/sizes.py" line="30"/>
        <source>.</source>
        <extracomment>The decimal sign of the language (German: a comma).</extracomment>
        <translation>,</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/sizes.py" line="32"/>
        <source>{0} {1} ({2} bytes)</source>
        <translation>{0} {1} ({2} Byte)</translation>
    </message>
</context>
<context>
    <name>TransferRow</name>
    <message>
        <location filename="../ui/files_panel.py" line="69"/>
        <source>Cancel</source>
        <extracomment>At most this many finished transfers stay listed (the oldest finished ones go first).</extracomment>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="74"/>
        <source>Show in folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="78"/>
        <source>Opens the folder with the file. The file itself is not opened.</source>
        <translation>Öffnet den Ordner mit der Datei. Die Datei selbst wird nicht geöffnet.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="103"/>
        <source>From your technician: {name} ({size})</source>
        <translation>Von Ihrem Techniker: {name} ({size})</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="104"/>
        <source>To your technician: {name} ({size})</source>
        <translation>An Ihren Techniker: {name} ({size})</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="114"/>
        <source>Cancel {name}</source>
        <translation>{name} abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="121"/>
        <source>SHA-256: {hash}</source>
        <translation>SHA-256-Prüfsumme: {hash}</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="126"/>
        <source>Waiting…</source>
        <translation>Wartet…</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="128"/>
        <source>{done} of {size}</source>
        <translation>{done} von {size}</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="132"/>
        <source>Received and checked. Saved as {path}. It was not opened.</source>
        <translation>Empfangen und geprüft. Gespeichert als {path}. Sie wurde nicht geöffnet.</translation>
    </message>
    <message>
        <location filename="../ui/files_panel.py" line="134"/>
        <source>Sent and checked by your technician&apos;s program.</source>
        <translation>Gesendet und vom Programm Ihres Technikers geprüft.</translation>
    </message>
</context>
</TS>
