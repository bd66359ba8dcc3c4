<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ConnectWindow</name>
    <message>
        <location filename="../ui/connect_window.py" line="61"/>
        <source>Fernhilfe – Connect to a customer</source>
        <translation>Fernhilfe – Mit Kunden verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="65"/>
        <source>Your name, as the customer will see it</source>
        <translation>Ihr Name, wie ihn der Kunde sieht</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="67"/>
        <source>Your company</source>
        <translation>Ihre Firma</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="92"/>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="97"/>
        <source>Your name:</source>
        <translation>Ihr Name:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="98"/>
        <source>Organisation:</source>
        <translation>Firma:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="99"/>
        <source>Relay:</source>
        <translation>Relay:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="100"/>
        <source>Session code:</source>
        <translation>Sitzungscode:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="108"/>
        <source>Ask the customer to read you the code shown in their window.</source>
        <translation>Bitten Sie den Kunden, Ihnen den Code aus seinem Fenster vorzulesen.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="133"/>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="153"/>
        <source>Please enter your name; the customer sees it.</source>
        <translation>Bitte geben Sie Ihren Namen ein; der Kunde sieht ihn.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="164"/>
        <source>The relay address starts with wss:// (or ws:// for tests).</source>
        <translation>Die Relay-Adresse beginnt mit wss:// (oder ws:// für Tests).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="170"/>
        <source>Please enter the code the customer reads to you.</source>
        <translation>Bitte geben Sie den Code ein, den der Kunde Ihnen vorliest.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="171"/>
        <location filename="../app.py" line="226"/>
        <source>The code has only digits, like 123 456 789.</source>
        <translation>Der Code besteht nur aus Ziffern, z. B. 123 456 789.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="172"/>
        <location filename="../app.py" line="222"/>
        <source>The code has 9 digits, like 123 456 789. Please check it.</source>
        <translation>Der Code hat 9 Ziffern, z. B. 123 456 789. Bitte prüfen Sie ihn.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="188"/>
        <source>Your name is too long for the customer&apos;s window (at most {n} characters).</source>
        <translation>Ihr Name ist zu lang für das Fenster des Kunden (höchstens {n} Zeichen).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="190"/>
        <source>The organisation is too long for the customer&apos;s window (at most {n} characters).</source>
        <translation>Der Firmenname ist zu lang für das Fenster des Kunden (höchstens {n} Zeichen).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="193"/>
        <source>Your name contains characters the customer&apos;s window does not show (line breaks, invisible or text-direction characters, special spaces). Please type it plainly.</source>
        <translation>Ihr Name enthält Zeichen, die das Fenster des Kunden nicht anzeigt (Zeilenumbrüche, unsichtbare Zeichen, Schreibrichtungszeichen oder besondere Leerzeichen). Bitte geben Sie ihn einfach ein.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="196"/>
        <source>The organisation contains characters the customer&apos;s window does not show (line breaks, invisible or text-direction characters, special spaces). Please type it plainly.</source>
        <translation>Der Firmenname enthält Zeichen, die das Fenster des Kunden nicht anzeigt (Zeilenumbrüche, unsichtbare Zeichen, Schreibrichtungszeichen oder besondere Leerzeichen). Bitte geben Sie ihn einfach ein.</translation>
    </message>
</context>
<context>
    <name>ConsoleApp</name>
    <message>
        <location filename="../app.py" line="37"/>
        <source>The customer declined the session.</source>
        <translation>Der Kunde hat die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="41"/>
        <source>The customer did not answer in time.</source>
        <translation>Der Kunde hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="45"/>
        <source>The customer ended the session.</source>
        <translation>Der Kunde hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="49"/>
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="53"/>
        <source>The code was wrong. It is now used up: please ask the customer for the new code their program shows.</source>
        <translation>Der Code war falsch und ist jetzt verbraucht. Bitten Sie den Kunden um den neuen Code, den sein Programm anzeigt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="58"/>
        <source>The connection to the customer was lost.</source>
        <translation>Die Verbindung zum Kunden ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="62"/>
        <source>The session was closed because a message was damaged or forged.</source>
        <translation>Die Sitzung wurde beendet, weil eine Nachricht beschädigt oder gefälscht war.</translation>
    </message>
    <message>
        <location filename="../app.py" line="72"/>
        <source>The customer uses another version of Fernhilfe. Please update both programs.</source>
        <translation>Der Kunde verwendet eine andere Version von Fernhilfe. Bitte aktualisieren Sie beide Programme.</translation>
    </message>
    <message>
        <location filename="../app.py" line="101"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="77"/>
        <source>The session was closed because the other program misbehaved.</source>
        <translation>Die Sitzung wurde beendet, weil sich das Programm der Gegenseite fehlerhaft verhalten hat.</translation>
    </message>
    <message>
        <location filename="../app.py" line="66"/>
        <source>The session was closed because the customer&apos;s program sent more than the console accepts (for example a screen wider or taller than 8192 pixels, or a faulty or manipulated program).</source>
        <translation>Die Sitzung wurde beendet, weil das Programm des Kunden mehr gesendet hat, als die Konsole annimmt (zum Beispiel einen Bildschirm mit mehr als 8192 Pixeln Breite oder Höhe, oder ein fehlerhaftes oder manipuliertes Programm).</translation>
    </message>
    <message>
        <location filename="../app.py" line="81"/>
        <source>The session was closed because of an error.</source>
        <translation>Die Sitzung wurde wegen eines Fehlers beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="85"/>
        <source>The customer&apos;s program stopped responding, or the customer did not answer. Please ask the customer for a new code.</source>
        <translation>Das Programm des Kunden antwortet nicht mehr, oder der Kunde hat nicht geantwortet. Bitte fragen Sie den Kunden nach einem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="90"/>
        <source>No session was started: this computer cannot save the session record (its records folder is missing, read-only or full). The customer&apos;s code is still valid.</source>
        <translation>Es wurde keine Sitzung gestartet: Dieser Computer kann das Protokoll der Sitzung nicht speichern (der Protokollordner fehlt, ist schreibgeschützt oder voll). Der Code des Kunden ist weiterhin gültig.</translation>
    </message>
    <message>
        <location filename="../app.py" line="95"/>
        <source>The session was ended because its record could not be saved (the records folder on your computer or the customer&apos;s is missing, read-only or full).</source>
        <translation>Die Sitzung wurde beendet, weil ihr Protokoll nicht gespeichert werden konnte (der Protokollordner auf Ihrem Computer oder dem des Kunden fehlt, ist schreibgeschützt oder voll).</translation>
    </message>
    <message>
        <location filename="../app.py" line="108"/>
        <source>No customer is waiting with this code. Please check the code, or ask the customer to read out the code their program shows now.</source>
        <translation>Mit diesem Code wartet kein Kunde. Bitte prüfen Sie den Code oder bitten Sie den Kunden, den Code vorzulesen, den sein Programm jetzt anzeigt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="113"/>
        <source>This code has expired. Please ask the customer for the new code.</source>
        <translation>Dieser Code ist abgelaufen. Bitte fragen Sie den Kunden nach dem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="117"/>
        <source>This code has already been used. Each code works once; please ask the customer for the new code.</source>
        <translation>Dieser Code wurde schon verwendet. Jeder Code gilt nur einmal; bitte fragen Sie den Kunden nach dem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="122"/>
        <source>Someone else is already connected with this code. Please ask the customer for a new code.</source>
        <translation>Mit diesem Code ist schon jemand anderes verbunden. Bitte fragen Sie den Kunden nach einem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="127"/>
        <source>The relay server is busy right now. Please try again in a minute.</source>
        <translation>Der Relay-Server ist gerade ausgelastet. Bitte versuchen Sie es in einer Minute noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="131"/>
        <source>Too many connection attempts from your network. Please wait a little and try again.</source>
        <translation>Zu viele Verbindungsversuche aus Ihrem Netz. Bitte warten Sie etwas und versuchen Sie es dann noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="136"/>
        <source>A message was too large for the relay server.</source>
        <translation>Eine Nachricht war zu groß für den Relay-Server.</translation>
    </message>
    <message>
        <location filename="../app.py" line="140"/>
        <source>The relay server did not understand this program&apos;s request. Please update Fernhilfe.</source>
        <translation>Der Relay-Server hat die Anfrage dieses Programms nicht verstanden. Bitte aktualisieren Sie Fernhilfe.</translation>
    </message>
    <message>
        <location filename="../app.py" line="145"/>
        <source>The connection was closed because nothing happened for a long time.</source>
        <translation>Die Verbindung wurde beendet, weil lange nichts passiert ist.</translation>
    </message>
    <message>
        <location filename="../app.py" line="149"/>
        <source>The connection to the relay server was too slow to start. Please try again.</source>
        <translation>Der Aufbau der Verbindung zum Relay-Server hat zu lange gedauert. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="153"/>
        <source>The relay server is restarting. Please connect again in a moment.</source>
        <translation>Der Relay-Server startet gerade neu. Bitte verbinden Sie sich gleich noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="157"/>
        <source>The relay server ended the session because it reached the data limit its operator set. Please start a new session.</source>
        <translation>Der Relay-Server hat die Sitzung beendet, weil die von seinem Betreiber festgelegte Datenmenge erreicht ist. Bitte starten Sie eine neue Sitzung.</translation>
    </message>
    <message>
        <location filename="../app.py" line="162"/>
        <source>The customer&apos;s computer left the session.</source>
        <translation>Der Computer des Kunden hat die Sitzung verlassen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="169"/>
        <source>The connection could not be set up. Please try again; if it keeps happening, tell your administrator (details are in the log).</source>
        <translation>Die Verbindung konnte nicht aufgebaut werden. Bitte versuchen Sie es noch einmal; wenn es wieder passiert, sagen Sie es Ihrem Administrator (Einzelheiten stehen im Protokoll).</translation>
    </message>
    <message>
        <location filename="../app.py" line="194"/>
        <source>The relay server cannot be reached. Please check the relay address and your internet connection.</source>
        <translation>Der Relay-Server ist nicht erreichbar. Bitte prüfen Sie die Relay-Adresse und Ihre Internetverbindung.</translation>
    </message>
    <message>
        <location filename="../app.py" line="200"/>
        <source>This relay address is not allowed: it must start with wss:// (ws:// only for a relay on this computer).</source>
        <translation>Diese Relay-Adresse ist nicht erlaubt: Sie muss mit wss:// beginnen (ws:// nur für ein Relay auf diesem Computer).</translation>
    </message>
    <message>
        <location filename="../app.py" line="206"/>
        <source>The relay server closed the connection. Please try again.</source>
        <translation>Der Relay-Server hat die Verbindung beendet. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="211"/>
        <source>The relay server answered with something this program does not understand. Please try again, or update Fernhilfe.</source>
        <translation>Der Relay-Server hat etwas geantwortet, das dieses Programm nicht versteht. Bitte versuchen Sie es noch einmal oder aktualisieren Sie Fernhilfe.</translation>
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
    <name>SessionWindow</name>
    <message>
        <location filename="../ui/session_window.py" line="68"/>
        <source>Fernhilfe – Session</source>
        <extracomment>(label, quality) — quality 0 = lossless only; JPEG quality for changing photo-like areas. (label, bytes per second) — 0 = unlimited.</extracomment>
        <translation>Fernhilfe – Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="80"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="101"/>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="105"/>
        <source>End session</source>
        <translation>Sitzung beenden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="107"/>
        <source>Actual size (1:1)</source>
        <translation>Originalgröße (1:1)</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="109"/>
        <source>Switch between fit to window and 1:1</source>
        <translation>Zwischen „an Fenster anpassen“ und 1:1 wechseln</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="113"/>
        <source>Send Ctrl+Alt+Del</source>
        <translation>Strg+Alt+Entf senden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="120"/>
        <source>Sharp text</source>
        <translation>Scharfer Text</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="120"/>
        <source>Balanced</source>
        <translation>Ausgewogen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="121"/>
        <source>Fast</source>
        <translation>Schnell</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="124"/>
        <source>Picture quality: sharp text sends only exact pixels; fast sends moving pictures coarser. Resting areas always become exact.</source>
        <translation>Bildqualität: „Scharfer Text“ überträgt nur exakte Pixel, „Schnell“ überträgt bewegte Bilder gröber. Ruhende Bereiche werden immer exakt.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="130"/>
        <source>Most bandwidth the customer&apos;s screen may use</source>
        <translation>Höchste Bandbreite, die der Bildschirm des Kunden nutzen darf</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="132"/>
        <source>Unlimited</source>
        <translation>Unbegrenzt</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="156"/>
        <source>Read this number to the customer:</source>
        <translation>Lesen Sie dem Kunden diese Zahl vor:</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="159"/>
        <source>Waiting for the customer to allow…</source>
        <translation>Warte auf die Zustimmung des Kunden…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="161"/>
        <source>Waiting for consent</source>
        <translation>Warte auf Zustimmung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="169"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="178"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="182"/>
        <source>Disconnected</source>
        <translation>Getrennt</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="191"/>
        <source>View and control</source>
        <translation>Sehen und steuern</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="193"/>
        <source>View only</source>
        <translation>Nur sehen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="202"/>
        <source>{fps:.0f} fps · {rtt:.0f} ms · {rate}</source>
        <translation>{fps:.0f} fps · {rtt:.0f} ms · {rate}</translation>
    </message>
</context>
</TS>
