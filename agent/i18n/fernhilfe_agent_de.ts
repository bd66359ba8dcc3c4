<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AgentApp</name>
    <message>
        <location filename="../app.py" line="27"/>
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="31"/>
        <source>The technician ended the session.</source>
        <translation>Der Techniker hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="35"/>
        <source>You declined the session. Nothing was shared.</source>
        <translation>Sie haben die Sitzung abgelehnt. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="39"/>
        <source>Nobody answered in time. Nothing was shared.</source>
        <translation>Es kam keine Antwort rechtzeitig. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="43"/>
        <source>The connection to the technician was lost.</source>
        <translation>Die Verbindung zum Techniker ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="47"/>
        <source>The session was closed because a message was damaged or forged.</source>
        <translation>Die Sitzung wurde beendet, weil eine Nachricht beschädigt oder gefälscht war.</translation>
    </message>
    <message>
        <location filename="../app.py" line="51"/>
        <source>The session was closed because the other program misbehaved.</source>
        <translation>Die Sitzung wurde beendet, weil sich das Programm der Gegenseite fehlerhaft verhalten hat.</translation>
    </message>
    <message>
        <location filename="../app.py" line="55"/>
        <source>The technician uses another version of Fernhilfe. Please update both programs.</source>
        <translation>Der Techniker verwendet eine andere Version von Fernhilfe. Bitte aktualisieren Sie beide Programme.</translation>
    </message>
    <message>
        <location filename="../app.py" line="60"/>
        <source>The session was closed because of an error.</source>
        <translation>Die Sitzung wurde wegen eines Fehlers beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="64"/>
        <source>The session was ended because this computer cannot save the record of the session (its folder is missing, read-only or full). Nothing more is shared.</source>
        <translation>Die Sitzung wurde beendet, weil dieser Computer das Protokoll der Sitzung nicht speichern kann (der Ordner fehlt, ist schreibgeschützt oder voll). Es wird nichts mehr geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="69"/>
        <source>The session was ended because the technician&apos;s computer cannot save the record of the session. Nothing more is shared.</source>
        <translation>Die Sitzung wurde beendet, weil der Computer des Technikers das Protokoll der Sitzung nicht speichern kann. Es wird nichts mehr geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="74"/>
        <source>The technician&apos;s program stopped responding. Nothing was shared.</source>
        <translation>Das Programm des Technikers antwortet nicht mehr. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="80"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="89"/>
        <source>The support service cannot be reached. Please check your internet connection.</source>
        <translation>Der Support-Dienst ist nicht erreichbar. Bitte prüfen Sie Ihre Internetverbindung.</translation>
    </message>
    <message>
        <location filename="../app.py" line="93"/>
        <source>This program is set up with an unsafe address for the support service. Please ask your support company for a new program.</source>
        <translation>Dieses Programm ist mit einer unsicheren Adresse für den Support-Dienst eingerichtet. Bitte fragen Sie Ihre Support-Firma nach einem neuen Programm.</translation>
    </message>
    <message>
        <location filename="../app.py" line="98"/>
        <source>The connection to the support service was lost.</source>
        <translation>Die Verbindung zum Support-Dienst ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="102"/>
        <source>The support service is busy right now.</source>
        <translation>Der Support-Dienst ist gerade ausgelastet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="106"/>
        <source>Too many attempts from your network. Please wait a little.</source>
        <translation>Zu viele Versuche aus Ihrem Netzwerk. Bitte warten Sie einen Moment.</translation>
    </message>
    <message>
        <location filename="../app.py" line="110"/>
        <source>The support service is restarting.</source>
        <translation>Der Support-Dienst startet gerade neu.</translation>
    </message>
    <message>
        <location filename="../app.py" line="114"/>
        <source>The support service did not understand this program. Please ask your support company for an update.</source>
        <translation>Der Support-Dienst hat dieses Programm nicht verstanden. Bitte fragen Sie Ihre Support-Firma nach einer neuen Version.</translation>
    </message>
    <message>
        <location filename="../app.py" line="120"/>
        <source>The support service refused the connection.</source>
        <translation>Der Support-Dienst hat die Verbindung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="130"/>
        <source>Someone entered a wrong code.</source>
        <translation>Jemand hat einen falschen Code eingegeben.</translation>
    </message>
    <message>
        <location filename="../app.py" line="132"/>
        <source>Someone entered your code but then stopped responding.</source>
        <translation>Jemand hat Ihren Code eingegeben, antwortet aber nicht mehr.</translation>
    </message>
    <message>
        <location filename="../app.py" line="135"/>
        <source>Someone tried to connect with your code, but it did not work.</source>
        <translation>Jemand hat versucht, sich mit Ihrem Code zu verbinden, aber es hat nicht geklappt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="138"/>
        <source>Here is a new one.</source>
        <translation>Hier ist ein neuer.</translation>
    </message>
    <message>
        <location filename="../app.py" line="144"/>
        <source>Warning: {count} attempts to connect to this computer have failed. Only continue if you called your support company yourself, at a phone number you know (for example from your contract or invoice). If someone called you and asked for this code, click Quit.</source>
        <translation>Achtung: {count} Versuche, sich mit diesem Computer zu verbinden, sind gescheitert. Machen Sie nur weiter, wenn Sie selbst Ihre Support-Firma angerufen haben, unter einer Nummer, die Sie kennen (zum Beispiel aus Ihrem Vertrag oder Ihrer Rechnung). Wenn jemand Sie angerufen und nach diesem Code gefragt hat, klicken Sie auf „Beenden“.</translation>
    </message>
    <message>
        <location filename="../app.py" line="156"/>
        <source>This computer cannot save the record of support sessions (its folder is missing, read-only or full), so no code can be given. Please free up disk space or ask your support company, then try again.</source>
        <translation>Dieser Computer kann das Protokoll der Fernwartung nicht speichern (der Ordner fehlt, ist schreibgeschützt oder voll). Deshalb kann kein Code vergeben werden. Bitte schaffen Sie freien Speicherplatz oder fragen Sie Ihre Support-Firma, und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <location filename="../app.py" line="162"/>
        <source>Something went wrong while getting a code. Please try again.</source>
        <translation>Beim Holen eines Codes ist etwas schiefgegangen. Bitte versuchen Sie es erneut.</translation>
    </message>
</context>
<context>
    <name>CodeWindow</name>
    <message>
        <location filename="../ui/code_window.py" line="101"/>
        <location filename="../ui/code_window.py" line="152"/>
        <source>Copy</source>
        <extracomment>Internal state names, readable by tests and the integrator (``window.state``). The support company&apos;s logo at the top (None: no logo configured or readable). The scam-call warning after several failed attempts; stays for the rest of the run. &quot;Settings from &lt;file&gt;&quot;: only in an unbranded build that honoured a side file.</extracomment>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="103"/>
        <source>Copy the code to the clipboard</source>
        <translation>Den Code in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="112"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="166"/>
        <source>Getting a code for your support session…</source>
        <translation>Ihr Code für die Fernwartung wird geholt…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="179"/>
        <source>The support service cannot be reached.</source>
        <translation>Der Support-Dienst ist nicht erreichbar.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="182"/>
        <source>Try again now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="192"/>
        <source>Read this code to your support technician on the phone.</source>
        <translation>Lesen Sie diesen Code Ihrem Support-Techniker am Telefon vor.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="209"/>
        <source>Your code was entered. Connecting to your technician…</source>
        <translation>Ihr Code wurde eingegeben. Die Verbindung zu Ihrem Techniker wird aufgebaut…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="215"/>
        <source>Someone entered a wrong code. Here is a new one.</source>
        <translation>Jemand hat einen falschen Code eingegeben. Hier ist ein neuer.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="225"/>
        <source>Getting a new code…</source>
        <translation>Ein neuer Code wird geholt…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="232"/>
        <source>For your safety, a new code is only shown when you ask for it. Click &quot;Get a new code&quot; when your technician is ready.</source>
        <translation>Zu Ihrer Sicherheit wird ein neuer Code nur angezeigt, wenn Sie ihn anfordern. Klicken Sie auf „Neuen Code holen“, wenn Ihr Techniker bereit ist.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="246"/>
        <source>Settings from {path}</source>
        <translation>Einstellungen aus {path}</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="254"/>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="261"/>
        <source>This code has expired. You can get a new one.</source>
        <translation>Dieser Code ist abgelaufen. Sie können einen neuen holen.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="234"/>
        <location filename="../ui/code_window.py" line="262"/>
        <location filename="../ui/code_window.py" line="273"/>
        <source>Get a new code</source>
        <translation>Neuen Code holen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="269"/>
        <source>The support session has ended.</source>
        <translation>Die Fernwartung ist beendet.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="339"/>
        <source>This code is valid for {time} minutes.</source>
        <translation>Dieser Code ist noch {time} Minuten gültig.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="345"/>
        <source>Trying again in {seconds} s.</source>
        <translation>Neuer Versuch in {seconds} s.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="349"/>
        <source>Trying again now…</source>
        <translation>Neuer Versuch läuft…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="358"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="374"/>
        <source>Remote support by {organisation}</source>
        <translation>Fernwartung durch {organisation}</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="377"/>
        <source>Remote support</source>
        <translation>Fernwartung</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="381"/>
        <source>Support phone: {phone}</source>
        <translation>Support-Telefon: {phone}</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <location filename="../ui/consent.py" line="66"/>
        <source>Allow remote support?</source>
        <extracomment>True once the 2-minute timeout (not the customer) decided: the audit says so.</extracomment>
        <translation>Fernwartung zulassen?</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="75"/>
        <source>A support technician wants to connect to this computer.</source>
        <extracomment>The support company&apos;s logo at the top (None: no logo configured or readable).</extracomment>
        <translation>Ein Support-Techniker möchte sich mit diesem Computer verbinden.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="81"/>
        <source>(no name given)</source>
        <translation>(kein Name angegeben)</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="86"/>
        <source>(no organisation given)</source>
        <translation>(keine Firma angegeben)</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="87"/>
        <source>{organisation} (unverified)</source>
        <translation>{organisation} (nicht überprüft)</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="92"/>
        <source>The name and organisation are what the technician typed in. Only allow if you called them or expect their call.</source>
        <translation>Name und Firma hat der Techniker selbst eingegeben. Lassen Sie die Verbindung nur zu, wenn Sie ihn angerufen haben oder seinen Anruf erwarten.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="97"/>
        <source>The technician must tell you this number. Does it match?</source>
        <translation>Der Techniker muss Ihnen diese Zahl nennen. Stimmt sie überein?</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="106"/>
        <source>The technician asks to:</source>
        <translation>Der Techniker möchte:</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="108"/>
        <source>See your screen</source>
        <translation>Ihren Bildschirm sehen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="112"/>
        <source>Control mouse and keyboard</source>
        <translation>Maus und Tastatur steuern</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="122"/>
        <source>Deny</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="124"/>
        <source>Allow</source>
        <translation>Zulassen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="250"/>
        <source>Tick “See your screen” to allow a session.</source>
        <translation>Haken Sie „Ihren Bildschirm sehen“ an, um die Sitzung zuzulassen.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="257"/>
        <source>If you do nothing, this request is denied in {time}.</source>
        <translation>Wenn Sie nichts tun, wird die Anfrage in {time} abgelehnt.</translation>
    </message>
</context>
<context>
    <name>RecordWindow</name>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="84"/>
        <location filename="../../desktop/qt/record_window.py" line="451"/>
        <location filename="../../desktop/qt/record_window.py" line="485"/>
        <source>Session records</source>
        <translation>Sitzungsprotokolle</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="89"/>
        <source>Every session leaves a session record on this computer: who connected, when, with which check number, what was allowed, and how the session ended. All times are local times.</source>
        <translation>Jede Sitzung hinterlässt ein Sitzungsprotokoll auf diesem Computer: wer sich verbunden hat, wann, mit welcher Prüfzahl, was zugelassen war und wie die Sitzung endete. Alle Zeiten sind Ortszeit.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="97"/>
        <source>Started</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="97"/>
        <source>With</source>
        <translation>Mit</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="97"/>
        <location filename="../../desktop/qt/record_window.py" line="369"/>
        <source>How it ended</source>
        <translation>Wie die Sitzung endete</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="102"/>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="103"/>
        <source>Newest session first. Use the arrow keys to choose a session.</source>
        <translation>Die neueste Sitzung steht oben. Mit den Pfeiltasten wählen Sie eine Sitzung.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="105"/>
        <source>Column headings</source>
        <translation>Spaltenüberschriften</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="114"/>
        <source>Session details</source>
        <translation>Details der Sitzung</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="116"/>
        <location filename="../../desktop/qt/record_window.py" line="189"/>
        <source>No sessions recorded yet.</source>
        <translation>Noch keine Sitzungsprotokolle vorhanden.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="128"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="129"/>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="136"/>
        <source>Save as PDF…</source>
        <translation>Als PDF speichern…</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="137"/>
        <source>Save as HTML…</source>
        <translation>Als HTML speichern…</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="130"/>
        <source>All sessions</source>
        <translation>Alle Sitzungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="132"/>
        <source>Save all sessions</source>
        <translation>Alle Sitzungen speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="134"/>
        <source>When ticked, PDF and HTML contain every listed session, not only the selected one.</source>
        <translation>Wenn angehakt, enthalten PDF und HTML alle aufgeführten Sitzungen, nicht nur die ausgewählte.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="138"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="234"/>
        <source>unknown time</source>
        <translation>Zeit unbekannt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="235"/>
        <source>%Y-%m-%d %H:%M</source>
        <translation>%d.%m.%Y, %H:%M</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="251"/>
        <source>Customer (check number {0})</source>
        <translation>Kunde (Prüfzahl {0})</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="253"/>
        <source>Unknown technician</source>
        <translation>Unbekannter Techniker</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="255"/>
        <source>{0}, {1}</source>
        <translation>{0}, {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="262"/>
        <source>see your screen</source>
        <translation>Ihren Bildschirm sehen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="262"/>
        <source>see the screen</source>
        <translation>den Bildschirm sehen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="263"/>
        <source>control (mouse and keyboard)</source>
        <translation>steuern (Maus und Tastatur)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="264"/>
        <source>clipboard</source>
        <translation>Zwischenablage</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="265"/>
        <source>files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="266"/>
        <source>chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="270"/>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="276"/>
        <source>The record has no end: the session may still be running, or the program was stopped.</source>
        <translation>Das Protokoll hat kein Ende: Die Sitzung läuft vielleicht noch, oder das Programm wurde unterbrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="281"/>
        <location filename="../../desktop/qt/record_window.py" line="284"/>
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="282"/>
        <source>The customer ended the session.</source>
        <translation>Der Kunde hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="283"/>
        <source>The technician ended the session.</source>
        <translation>Der Techniker hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="285"/>
        <source>You denied the session.</source>
        <translation>Sie haben die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="286"/>
        <source>The customer denied the session.</source>
        <translation>Der Kunde hat die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="287"/>
        <source>The request was not answered in time.</source>
        <translation>Die Anfrage wurde nicht rechtzeitig beantwortet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="288"/>
        <source>The code did not match.</source>
        <translation>Der Code passte nicht.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="289"/>
        <source>The connection to the technician was lost.</source>
        <translation>Die Verbindung zum Techniker ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="290"/>
        <source>The connection to the customer was lost.</source>
        <translation>Die Verbindung zum Kunden ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="291"/>
        <source>The technician&apos;s computer stopped answering.</source>
        <translation>Der Computer des Technikers hat nicht mehr geantwortet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="292"/>
        <source>The customer&apos;s computer stopped answering.</source>
        <translation>Der Computer des Kunden hat nicht mehr geantwortet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="293"/>
        <source>An error on the other computer ended the session.</source>
        <translation>Ein Fehler auf dem anderen Computer hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="294"/>
        <source>An error on this computer ended the session.</source>
        <translation>Ein Fehler auf diesem Computer hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="295"/>
        <source>The two programs&apos; versions do not fit together.</source>
        <translation>Die Versionen der beiden Programme passen nicht zusammen.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="297"/>
        <source>The other computer could not save its session record, so the session was ended.</source>
        <translation>Der andere Computer konnte sein Sitzungsprotokoll nicht speichern, deshalb wurde die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="299"/>
        <source>This computer could not save the session record, so the session was ended.</source>
        <translation>Dieser Computer konnte das Sitzungsprotokoll nicht speichern, deshalb wurde die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="301"/>
        <source>Fernhilfe ended unexpectedly (for example, the computer was switched off).</source>
        <translation>Fernhilfe wurde unerwartet beendet (zum Beispiel, weil der Computer ausgeschaltet wurde).</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="305"/>
        <source>The other computer sent data this program does not accept; the session was ended for safety.</source>
        <translation>Der andere Computer hat Daten gesendet, die dieses Programm nicht annimmt. Die Sitzung wurde zur Sicherheit beendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="310"/>
        <source>The session ended (reason: {0}).</source>
        <translation>Die Sitzung wurde beendet (Grund: {0}).</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="316"/>
        <source>cannot be read</source>
        <translation>nicht lesbar</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="318"/>
        <location filename="../../desktop/qt/record_window.py" line="337"/>
        <source>no end recorded</source>
        <translation>kein Ende vermerkt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="320"/>
        <source>ended by the customer</source>
        <translation>vom Kunden beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="321"/>
        <source>ended by the technician</source>
        <translation>vom Techniker beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="322"/>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="323"/>
        <source>not answered in time</source>
        <translation>nicht rechtzeitig beantwortet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="324"/>
        <source>code did not match</source>
        <translation>Code passte nicht</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="325"/>
        <source>ended unexpectedly</source>
        <translation>unerwartet beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="326"/>
        <location filename="../../desktop/qt/record_window.py" line="327"/>
        <source>connection lost</source>
        <translation>Verbindung abgebrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="329"/>
        <source>ended by an error</source>
        <translation>durch einen Fehler beendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="342"/>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="343"/>
        <source>{0} to {1} (local time, {2})</source>
        <translation>{0} bis {1} (Ortszeit, {2})</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="346"/>
        <source>Technician</source>
        <translation>Techniker</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="346"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="348"/>
        <source>Support company</source>
        <translation>Ihr IT-Dienstleister</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="350"/>
        <source>Session with</source>
        <translation>Sitzung mit</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="350"/>
        <source>a customer</source>
        <translation>einem Kunden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="351"/>
        <source>Check number</source>
        <translation>Prüfzahl</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="351"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="353"/>
        <source>Asked for</source>
        <translation>Angefragt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="354"/>
        <source>Your answer</source>
        <translation>Ihre Antwort</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="354"/>
        <source>The customer&apos;s answer</source>
        <translation>Antwort des Kunden</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="356"/>
        <source>{0}  allowed from then on: {1}</source>
        <translation>{0}  ab da zugelassen: {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="359"/>
        <source>Permissions</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="363"/>
        <source>Picture settings</source>
        <translation>Bildeinstellungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="365"/>
        <source>Not shown</source>
        <translation>Nicht angezeigt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="366"/>
        <source>{0} further changes</source>
        <translation>{0} weitere Änderungen</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="373"/>
        <source>Mouse and keyboard</source>
        <translation>Maus und Tastatur</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="375"/>
        <source>Wrong codes</source>
        <translation>Falsche Codes</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="376"/>
        <source>{0} attempt(s) with a wrong code</source>
        <translation>{0} Versuch(e) mit falschem Code</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="379"/>
        <source>This record cannot be read.</source>
        <translation>Dieses Protokoll ist nicht lesbar.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="381"/>
        <source>Only the beginning of this record was read (the record or the folder is very large).</source>
        <translation>Nur der Anfang dieses Protokolls wurde gelesen (das Protokoll oder der Ordner ist sehr groß).</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="384"/>
        <source>{0} line(s) of this record are damaged or were changed.</source>
        <translation>{0} Zeile(n) dieses Protokolls sind beschädigt oder wurden verändert.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="387"/>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="388"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="395"/>
        <source>no answer recorded</source>
        <translation>keine Antwort vermerkt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="397"/>
        <source>allowed at {0} – {1}</source>
        <translation>zugelassen um {0} – {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="400"/>
        <source>not answered in time ({0})</source>
        <translation>nicht rechtzeitig beantwortet ({0})</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="401"/>
        <source>denied at {0}</source>
        <translation>abgelehnt um {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="407"/>
        <source>quality unknown</source>
        <translation>Qualität unbekannt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="409"/>
        <source>best quality (lossless)</source>
        <translation>beste Qualität (verlustfrei)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="411"/>
        <source>quality {0}</source>
        <translation>Qualität {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="413"/>
        <source>no bandwidth limit</source>
        <translation>ohne Begrenzung der Datenrate</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="415"/>
        <source>at most {0} kB/s</source>
        <translation>höchstens {0} kB/s</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="421"/>
        <source>{0} action(s) sent</source>
        <translation>{0} Eingabe(n) gesendet</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="422"/>
        <source>{0} action(s) by the technician carried out</source>
        <translation>{0} Eingabe(n) des Technikers ausgeführt</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="424"/>
        <source>; {0} refused because control was not allowed</source>
        <translation>; {0} abgewiesen, weil Steuern nicht zugelassen war</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="452"/>
        <source>Saved on {0}.</source>
        <translation>Gespeichert am {0}.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="453"/>
        <source>en</source>
        <translation>de</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="502"/>
        <source>session-record</source>
        <translation>Sitzungsprotokoll</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="507"/>
        <source>Save as PDF</source>
        <translation>Als PDF speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="507"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-Dateien (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="511"/>
        <source>Save as HTML</source>
        <translation>Als HTML speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="511"/>
        <source>Web pages (*.html)</source>
        <translation>Webseiten (*.html)</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="535"/>
        <source>The file could not be saved. Please choose another folder.</source>
        <translation>Die Datei konnte nicht gespeichert werden. Bitte wählen Sie einen anderen Ordner.</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="538"/>
        <source>Saved: {0}</source>
        <translation>Gespeichert: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/qt/record_window.py" line="545"/>
        <source>The folder could not be opened: {0}</source>
        <translation>Der Ordner konnte nicht geöffnet werden: {0}</translation>
    </message>
</context>
<context>
    <name>SessionOverlay</name>
    <message>
        <location filename="../ui/overlay.py" line="420"/>
        <source>your technician</source>
        <extracomment>A Qt click whose press came this close (s) to a press acted on from the raw-press path is that same press (possible only in rare grab states) and is not acted on twice; a later, deliberate click (e.g. &quot;Allow control&quot; right after a stop) counts as usual. How often the panel is raised again and checked to be on its monitor (ms). Flags of every frame window; tests check them, the integrator need not care. The panel bypasses the window manager too (see the module docstring): injected window-manager shortcuts cannot minimise, move, shade or send it to another desktop. It accepts the keyboard focus when it is given (assistive tools; then Tab moves between its buttons, Space presses one) but never takes it: not when shown or raised, not on a click. Were a click to focus it, the technician&apos;s next keys after &quot;Allow control&quot; would land on the panel (a Space would press Stop control) instead of the program they work in. The keyboard way for the customer is the pair of global hotkeys, which work wherever the focus is.</extracomment>
        <translation>Ihr Techniker</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="423"/>
        <source>{name} can see and control your screen</source>
        <translation>{name} sieht und steuert Ihren Bildschirm</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="425"/>
        <source>{name} can see your screen</source>
        <translation>{name} sieht Ihren Bildschirm</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="428"/>
        <source>Fernhilfe session</source>
        <translation>Fernhilfe-Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="429"/>
        <source>Session in progress</source>
        <translation>Sitzung läuft</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="430"/>
        <source>Ctrl+Alt+Home</source>
        <translation>Strg+Alt+Pos1</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="432"/>
        <source>Stop control</source>
        <translation>Steuerung beenden</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="432"/>
        <source>Allow control</source>
        <translation>Steuerung zulassen</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="434"/>
        <location filename="../ui/overlay.py" line="435"/>
        <source>or {keys}</source>
        <translation>oder {keys}</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="439"/>
        <source>Keyboard shortcut: {keys}</source>
        <translation>Tastenkürzel: {keys}</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="453"/>
        <source>Fernhilfe: session in progress</source>
        <translation>Fernhilfe: Sitzung läuft</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="433"/>
        <source>End session</source>
        <translation>Sitzung beenden</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="430"/>
        <source>Ctrl+Alt+End</source>
        <translation>Strg+Alt+Ende</translation>
    </message>
</context>
</TS>
