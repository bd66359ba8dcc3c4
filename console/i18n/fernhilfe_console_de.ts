<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ConnectWindow</name>
    <message>
        <location filename="../ui/connect_window.py" line="71"/>
        <source>Fernhilfe – Connect to a customer</source>
        <translation>Fernhilfe – Mit einem Kunden verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="75"/>
        <source>Your name, as the customer will see it</source>
        <translation>Ihr Name, so wie der Kunde ihn sieht</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="77"/>
        <source>Your company, as the customer will see it</source>
        <translation>Ihre Firma, so wie der Kunde sie sieht</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="121"/>
        <source>Session records…</source>
        <translation>Sitzungsprotokolle…</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="127"/>
        <source>&amp;Your name:</source>
        <translation>&amp;Ihr Name:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="128"/>
        <source>Your com&amp;pany:</source>
        <translation>Ihre &amp;Firma:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="129"/>
        <source>Connection &amp;service:</source>
        <translation>&amp;Verbindungsdienst:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="130"/>
        <source>C&amp;ode:</source>
        <translation>C&amp;ode:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="139"/>
        <source>Ask the customer to read out the code that Fernhilfe shows on their screen.</source>
        <translation>Bitten Sie den Kunden, Ihnen den Code vorzulesen, den Fernhilfe auf seinem Bildschirm zeigt.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="159"/>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="160"/>
        <source>Your company</source>
        <translation>Ihre Firma</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="161"/>
        <source>Address of the connection service</source>
        <translation>Adresse des Verbindungsdienstes</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="162"/>
        <source>Code the customer reads out</source>
        <translation>Code, den der Kunde vorliest</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="164"/>
        <source>Session records</source>
        <translation>Sitzungsprotokolle</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="165"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="166"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="167"/>
        <source>Hint</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="185"/>
        <source>Connecting to the customer…</source>
        <translation>Verbindung zum Kunden wird aufgebaut…</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="235"/>
        <source>Please enter your name: the customer sees it before allowing the session.</source>
        <translation>Bitte geben Sie Ihren Namen ein: Der Kunde sieht ihn, bevor er die Sitzung zulässt.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="247"/>
        <source>The address of the connection service starts with wss:// (or ws:// for one on this computer).</source>
        <translation>Die Adresse des Verbindungsdienstes beginnt mit wss:// (oder ws://, wenn er auf diesem Computer läuft).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="254"/>
        <source>Please enter the code the customer reads out to you.</source>
        <translation>Bitte geben Sie den Code ein, den der Kunde Ihnen vorliest.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="274"/>
        <source>Your company name is too long for the customer&apos;s window (at most {n} characters).</source>
        <translation>Ihr Firmenname ist zu lang für das Fenster des Kunden (höchstens {n} Zeichen).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="280"/>
        <source>Your company name contains characters the customer&apos;s window does not show (line breaks, invisible or text-direction characters, special spaces). Please type it plainly.</source>
        <translation>Ihr Firmenname enthält Zeichen, die das Fenster des Kunden nicht anzeigt (Zeilenumbrüche, unsichtbare Zeichen, Schreibrichtungszeichen oder besondere Leerzeichen). Bitte schreiben Sie ihn ohne diese Zeichen.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="118"/>
        <location filename="../ui/connect_window.py" line="163"/>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="255"/>
        <location filename="../app.py" line="235"/>
        <source>The code has only digits, like 123 456 789.</source>
        <translation>Der Code besteht nur aus Ziffern, zum Beispiel 123 456 789.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="256"/>
        <location filename="../app.py" line="231"/>
        <source>The code has 9 digits, like 123 456 789. Please check it.</source>
        <translation>Der Code hat 9 Ziffern, zum Beispiel 123 456 789. Bitte prüfen Sie ihn.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="272"/>
        <source>Your name is too long for the customer&apos;s window (at most {n} characters).</source>
        <translation>Ihr Name ist zu lang für das Fenster des Kunden (höchstens {n} Zeichen).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="277"/>
        <source>Your name contains characters the customer&apos;s window does not show (line breaks, invisible or text-direction characters, special spaces). Please type it plainly.</source>
        <translation>Ihr Name enthält Zeichen, die das Fenster des Kunden nicht anzeigt (Zeilenumbrüche, unsichtbare Zeichen, Schreibrichtungszeichen oder besondere Leerzeichen). Bitte schreiben Sie ihn ohne diese Zeichen.</translation>
    </message>
</context>
<context>
    <name>ConsoleApp</name>
    <message>
        <location filename="../app.py" line="40"/>
        <source>The customer declined the session.</source>
        <translation>Der Kunde hat die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="44"/>
        <source>The customer did not answer in time.</source>
        <translation>Der Kunde hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="48"/>
        <source>The customer ended the session.</source>
        <translation>Der Kunde hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="52"/>
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="56"/>
        <source>The code was wrong. It is now used up: please ask the customer for the new code their program shows.</source>
        <translation>Der Code passte nicht und ist jetzt verbraucht. Bitte fragen Sie den Kunden nach dem neuen Code, den sein Programm jetzt anzeigt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="61"/>
        <source>The connection to the customer was lost.</source>
        <translation>Die Verbindung zum Kunden ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="65"/>
        <source>The session was ended because a message was damaged or forged on the way.</source>
        <translation>Die Sitzung wurde beendet, weil eine Nachricht unterwegs beschädigt oder gefälscht wurde.</translation>
    </message>
    <message>
        <location filename="../app.py" line="69"/>
        <source>The session was ended because the customer&apos;s program sent more than the console accepts (for example a screen wider or taller than 8192 pixels, or a faulty or manipulated program).</source>
        <translation>Die Sitzung wurde beendet, weil das Programm des Kunden mehr gesendet hat, als die Konsole annimmt (zum Beispiel einen Bildschirm, der breiter oder höher als 8192 Pixel ist, oder ein fehlerhaftes oder manipuliertes Programm).</translation>
    </message>
    <message>
        <location filename="../app.py" line="131"/>
        <source>The connection service is busy right now. Please try again in a minute.</source>
        <translation>Der Verbindungsdienst ist gerade ausgelastet. Bitte versuchen Sie es in einer Minute noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="140"/>
        <source>A message was too large for the connection service. Please start a new session.</source>
        <translation>Eine Nachricht war zu groß für den Verbindungsdienst. Bitte starten Sie eine neue Sitzung.</translation>
    </message>
    <message>
        <location filename="../app.py" line="144"/>
        <source>The connection service did not understand this program. Please update Fernhilfe.</source>
        <translation>Der Verbindungsdienst hat dieses Programm nicht verstanden. Bitte aktualisieren Sie Fernhilfe.</translation>
    </message>
    <message>
        <location filename="../app.py" line="149"/>
        <source>The connection service ended the connection because nothing happened for a long time.</source>
        <translation>Der Verbindungsdienst hat die Verbindung beendet, weil lange nichts passiert ist.</translation>
    </message>
    <message>
        <location filename="../app.py" line="154"/>
        <source>Setting up the connection took too long. Please try again.</source>
        <translation>Der Verbindungsaufbau hat zu lange gedauert. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="158"/>
        <source>The connection service is restarting. Please connect again in a moment.</source>
        <translation>Der Verbindungsdienst startet gerade neu. Bitte verbinden Sie sich gleich noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="162"/>
        <source>The connection service ended the session because it reached the data limit its operator set. Please start a new session.</source>
        <translation>Der Verbindungsdienst hat die Sitzung beendet, weil die Datenmenge erreicht ist, die sein Betreiber festgelegt hat. Bitte starten Sie eine neue Sitzung.</translation>
    </message>
    <message>
        <location filename="../app.py" line="204"/>
        <source>The connection service cannot be reached. Please check its address and your internet connection.</source>
        <extracomment>Prefix of a kind (or end reason) that carries the relay&apos;s stable error code.</extracomment>
        <translation>Der Verbindungsdienst ist nicht erreichbar. Bitte prüfen Sie seine Adresse und Ihre Internetverbindung.</translation>
    </message>
    <message>
        <location filename="../app.py" line="209"/>
        <source>This address of the connection service is not allowed: it must start with wss:// (ws:// only for a connection service on this computer).</source>
        <translation>Diese Adresse des Verbindungsdienstes ist nicht erlaubt: Sie muss mit wss:// beginnen (ws:// nur für einen Verbindungsdienst auf diesem Computer).</translation>
    </message>
    <message>
        <location filename="../app.py" line="214"/>
        <source>The connection service closed the connection. Please try again.</source>
        <translation>Der Verbindungsdienst hat die Verbindung beendet. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="218"/>
        <source>This is not a code. A code has 9 digits, like 123 456 789.</source>
        <translation>Das ist kein Code. Ein Code hat 9 Ziffern, zum Beispiel 123 456 789.</translation>
    </message>
    <message>
        <location filename="../app.py" line="75"/>
        <source>The customer uses another version of Fernhilfe. Please update both programs.</source>
        <translation>Der Kunde verwendet eine andere Version von Fernhilfe. Bitte aktualisieren Sie beide Programme.</translation>
    </message>
    <message>
        <location filename="../app.py" line="80"/>
        <source>The session was ended because the customer&apos;s program sent something it must not send.</source>
        <translation>Die Sitzung wurde beendet, weil das Programm des Kunden etwas gesendet hat, das es nicht senden darf.</translation>
    </message>
    <message>
        <location filename="../app.py" line="85"/>
        <source>The session was ended because of an error (details are in the log).</source>
        <translation>Die Sitzung wurde wegen eines Fehlers beendet (Einzelheiten stehen in der Logdatei).</translation>
    </message>
    <message>
        <location filename="../app.py" line="99"/>
        <source>The session was ended because its session record could not be saved (the records folder on your computer or the customer&apos;s is missing, read-only or full).</source>
        <translation>Die Sitzung wurde beendet, weil ihr Sitzungsprotokoll nicht gespeichert werden konnte (der Ordner dafür fehlt auf Ihrem Computer oder dem des Kunden, ist schreibgeschützt oder voll).</translation>
    </message>
    <message>
        <location filename="../app.py" line="105"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="89"/>
        <source>The customer&apos;s program stopped responding, or the customer did not answer. Please ask the customer for a new code.</source>
        <translation>Das Programm des Kunden antwortet nicht mehr, oder der Kunde hat nicht geantwortet. Bitte fragen Sie den Kunden nach einem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="94"/>
        <source>No session was started: this computer cannot save the session record (its records folder is missing, read-only or full). The customer&apos;s code is still valid.</source>
        <translation>Es wurde keine Sitzung gestartet: Dieser Computer kann das Sitzungsprotokoll nicht speichern (der Ordner dafür fehlt, ist schreibgeschützt oder voll). Der Code des Kunden gilt weiterhin.</translation>
    </message>
    <message>
        <location filename="../app.py" line="112"/>
        <source>No customer is waiting with this code. Please check the code, or ask the customer to read out the code their program shows now.</source>
        <translation>Mit diesem Code wartet kein Kunde. Bitte prüfen Sie den Code, oder bitten Sie den Kunden, den Code vorzulesen, den sein Programm jetzt anzeigt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="117"/>
        <source>This code has expired. Please ask the customer for the new code.</source>
        <translation>Dieser Code ist abgelaufen. Bitte fragen Sie den Kunden nach dem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="121"/>
        <source>This code has already been used. Each code works once; please ask the customer for the new code.</source>
        <translation>Dieser Code wurde schon verwendet. Jeder Code gilt nur einmal; bitte fragen Sie den Kunden nach dem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="126"/>
        <source>Someone else is already connected with this code. Please ask the customer for a new code.</source>
        <translation>Mit diesem Code ist schon jemand anderes verbunden. Bitte fragen Sie den Kunden nach einem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="135"/>
        <source>Too many connection attempts from your network. Please wait a little and try again.</source>
        <translation>Zu viele Verbindungsversuche aus Ihrem Netz. Bitte warten Sie kurz und versuchen Sie es dann noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="167"/>
        <source>The customer&apos;s computer left the session.</source>
        <translation>Der Computer des Kunden hat die Sitzung verlassen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="174"/>
        <source>The connection could not be set up. Please try again; if it keeps happening, tell your administrator (details are in the log).</source>
        <translation>Die Verbindung konnte nicht aufgebaut werden. Bitte versuchen Sie es noch einmal; wenn es wieder passiert, wenden Sie sich an Ihren Administrator (Einzelheiten stehen in der Logdatei).</translation>
    </message>
</context>
<context>
    <name>SessionWindow</name>
    <message>
        <location filename="../ui/session_window.py" line="87"/>
        <source>Fernhilfe – Session</source>
        <extracomment>How long the &quot;the customer allowed control&quot; notice stays (the &quot;stopped control&quot; one stays as long as control is off: it is what explains why the mouse does nothing). (label, quality) — quality 0 = lossless only; JPEG quality for changing photo-like areas. (label, bytes per second) — 0 = unlimited.</extracomment>
        <translation>Fernhilfe – Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="96"/>
        <source>Customer&apos;s screen</source>
        <translation>Bildschirm des Kunden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="106"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="135"/>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="143"/>
        <source>Switch between fit to window and 1:1</source>
        <translation>Zwischen „an Fenster anpassen“ und 1:1 wechseln</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="139"/>
        <source>&amp;End session</source>
        <translation>Sitzung &amp;beenden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="141"/>
        <source>&amp;Actual size (1:1)</source>
        <translation>&amp;Originalgröße (1:1)</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="147"/>
        <source>Send Ctrl+Alt+&amp;Del</source>
        <translation>Strg+Alt+&amp;Entf senden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="151"/>
        <source>Session &amp;records…</source>
        <translation>Sitzungs&amp;protokolle…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="158"/>
        <source>&amp;Session</source>
        <translation>&amp;Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="165"/>
        <source>Sharp text</source>
        <translation>Scharfer Text</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="165"/>
        <source>Balanced</source>
        <translation>Ausgewogen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="166"/>
        <source>Fast</source>
        <translation>Schnell</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="168"/>
        <source>Picture quality</source>
        <translation>Bildqualität</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="170"/>
        <source>Picture quality: sharp text sends only exact pixels; fast sends moving pictures coarser. Resting areas always become exact.</source>
        <translation>Bildqualität: „Scharfer Text“ überträgt nur exakte Pixel, „Schnell“ überträgt bewegte Bilder gröber. Ruhende Bereiche werden immer exakt.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="176"/>
        <source>Bandwidth limit</source>
        <translation>Bandbreite begrenzen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="177"/>
        <source>Most bandwidth the customer&apos;s screen may use</source>
        <translation>Höchste Bandbreite, die der Bildschirm des Kunden nutzen darf</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="179"/>
        <source>Unlimited</source>
        <translation>Unbegrenzt</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="184"/>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualität:</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="185"/>
        <source>Band&amp;width:</source>
        <translation>&amp;Bandbreite:</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="195"/>
        <source>Session status</source>
        <translation>Sitzungsstatus</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="196"/>
        <source>What you may do</source>
        <translation>Was Sie dürfen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="197"/>
        <source>Picture statistics</source>
        <translation>Bildstatistik</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="216"/>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="217"/>
        <source>Hide</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="218"/>
        <source>Hide the notice</source>
        <translation>Hinweis ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="236"/>
        <source>Read this check number to the customer:</source>
        <translation>Lesen Sie dem Kunden diese Prüfzahl vor:</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="241"/>
        <source>Waiting for the customer</source>
        <translation>Warten auf den Kunden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="256"/>
        <source>Session running</source>
        <translation>Sitzung läuft</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="260"/>
        <source>The customer allowed you to see the screen, not to control it.</source>
        <translation>Der Kunde hat zugelassen, dass Sie den Bildschirm sehen, aber nicht steuern.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="271"/>
        <source>No session took place.</source>
        <translation>Es hat keine Sitzung stattgefunden.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="276"/>
        <source>Session ended</source>
        <translation>Sitzung beendet</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="319"/>
        <source>.</source>
        <comment>decimal point in numbers</comment>
        <translation>,</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="353"/>
        <source>Time left for the customer to answer: {time}</source>
        <translation>Zeit für die Antwort des Kunden: noch {time}</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="390"/>
        <source>You can see and control the customer&apos;s screen.</source>
        <translation>Sie sehen und steuern den Bildschirm des Kunden.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="391"/>
        <source>View only: your mouse and keyboard are not sent.</source>
        <translation>Nur sehen: Ihre Maus und Tastatur werden nicht übertragen.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="239"/>
        <source>Waiting for the customer to allow…</source>
        <translation>Warten, bis der Kunde die Sitzung zulässt…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="270"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="292"/>
        <source>View and control</source>
        <translation>Sehen und steuern</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="294"/>
        <source>View only</source>
        <translation>Nur sehen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="301"/>
        <source>The customer allowed control. Your mouse and keyboard work on the customer&apos;s screen again.</source>
        <translation>Der Kunde hat die Steuerung zugelassen. Ihre Maus und Tastatur wirken wieder auf dem Bildschirm des Kunden.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="304"/>
        <source>The customer stopped control. You can still see the screen; your mouse and keyboard are not sent.</source>
        <translation>Der Kunde hat die Steuerung beendet. Sie sehen den Bildschirm weiter; Ihre Maus und Tastatur werden nicht übertragen.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="317"/>
        <source>{fps:.0f} fps · {rtt:.0f} ms · {rate}</source>
        <translation>{fps:.0f} Bilder/s · {rtt:.0f} ms · {rate}</translation>
    </message>
</context>
</TS>
