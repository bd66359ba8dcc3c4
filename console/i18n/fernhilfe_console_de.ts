<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ConnectWindow</name>
    <message>
        <location filename="../ui/connect_window.py" line="58"/>
        <source>Fernhilfe – Connect to a customer</source>
        <translation>Fernhilfe – Mit Kunden verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="62"/>
        <source>Your name, as the customer will see it</source>
        <translation>Ihr Name, wie ihn der Kunde sieht</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="64"/>
        <source>Your company</source>
        <translation>Ihre Firma</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="90"/>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="95"/>
        <source>Your name:</source>
        <translation>Ihr Name:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="96"/>
        <source>Organisation:</source>
        <translation>Firma:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="97"/>
        <source>Relay:</source>
        <translation>Relay:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="98"/>
        <source>Session code:</source>
        <translation>Sitzungscode:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="106"/>
        <source>Ask the customer to read you the code shown in their window.</source>
        <translation>Bitten Sie den Kunden, Ihnen den Code aus seinem Fenster vorzulesen.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="130"/>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="150"/>
        <source>Please enter your name; the customer sees it.</source>
        <translation>Bitte geben Sie Ihren Namen ein; der Kunde sieht ihn.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="154"/>
        <source>The relay address starts with wss:// (or ws:// for tests).</source>
        <translation>Die Relay-Adresse beginnt mit wss:// (oder ws:// für Tests).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="160"/>
        <source>Please enter the code the customer reads to you.</source>
        <translation>Bitte geben Sie den Code ein, den der Kunde Ihnen vorliest.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="161"/>
        <source>The code has only digits, like 123 456 789.</source>
        <translation>Der Code besteht nur aus Ziffern, z. B. 123 456 789.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="162"/>
        <source>The code has 9 digits, like 123 456 789. Please check it.</source>
        <translation>Der Code hat 9 Ziffern, z. B. 123 456 789. Bitte prüfen Sie ihn.</translation>
    </message>
</context>
<context>
    <name>ConsoleApp</name>
    <message>
        <location filename="../app.py" line="26"/>
        <source>The customer declined the session.</source>
        <translation>Der Kunde hat die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="30"/>
        <source>The customer did not answer in time.</source>
        <translation>Der Kunde hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="34"/>
        <source>The customer ended the session.</source>
        <translation>Der Kunde hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="38"/>
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="42"/>
        <source>The code was wrong. It is now used up: please ask the customer for the new code their program shows.</source>
        <translation>Der Code war falsch und ist jetzt verbraucht. Bitten Sie den Kunden um den neuen Code, den sein Programm anzeigt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="47"/>
        <source>The connection to the customer was lost.</source>
        <translation>Die Verbindung zum Kunden ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="51"/>
        <source>The session was closed because a message was damaged or forged.</source>
        <translation>Die Sitzung wurde beendet, weil eine Nachricht beschädigt oder gefälscht war.</translation>
    </message>
    <message>
        <location filename="../app.py" line="55"/>
        <source>The session was closed because the customer&apos;s program sent more than the console accepts (for example a screen wider or taller than 8192 pixels, or a faulty or manipulated program).</source>
        <translation>Die Sitzung wurde beendet, weil das Programm des Kunden mehr gesendet hat, als die Konsole annimmt (zum Beispiel einen Bildschirm mit mehr als 8192 Pixeln Breite oder Höhe, oder ein fehlerhaftes oder manipuliertes Programm).</translation>
    </message>
    <message>
        <location filename="../app.py" line="61"/>
        <source>The session was closed because the customer&apos;s program sent damaged or unexpected data.</source>
        <translation>Die Sitzung wurde beendet, weil das Programm des Kunden beschädigte oder unerwartete Daten gesendet hat.</translation>
    </message>
    <message>
        <location filename="../app.py" line="66"/>
        <source>The customer uses another version of Fernhilfe. Please update both programs.</source>
        <translation>Der Kunde verwendet eine andere Version von Fernhilfe. Bitte aktualisieren Sie beide Programme.</translation>
    </message>
    <message>
        <location filename="../app.py" line="72"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
</context>
<context>
    <name>SessionWindow</name>
    <message>
        <location filename="../ui/session_window.py" line="65"/>
        <source>Fernhilfe – Session</source>
        <extracomment>(label, quality) — quality 0 = lossless only; JPEG quality for changing photo-like areas. (label, bytes per second) — 0 = unlimited.</extracomment>
        <translation>Fernhilfe – Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="90"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="111"/>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="115"/>
        <source>End session</source>
        <translation>Sitzung beenden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="117"/>
        <source>Actual size (1:1)</source>
        <translation>Originalgröße (1:1)</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="119"/>
        <source>Switch between fit to window and 1:1</source>
        <translation>Zwischen „an Fenster anpassen“ und 1:1 wechseln</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="123"/>
        <source>Send Ctrl+Alt+Del</source>
        <translation>Strg+Alt+Entf senden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="130"/>
        <source>Sharp text</source>
        <translation>Scharfer Text</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="130"/>
        <source>Balanced</source>
        <translation>Ausgewogen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="131"/>
        <source>Fast</source>
        <translation>Schnell</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="134"/>
        <source>Picture quality: sharp text sends only exact pixels; fast sends moving pictures coarser. Resting areas always become exact.</source>
        <translation>Bildqualität: „Scharfer Text“ überträgt nur exakte Pixel, „Schnell“ überträgt bewegte Bilder gröber. Ruhende Bereiche werden immer exakt.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="140"/>
        <source>Most bandwidth the customer&apos;s screen may use</source>
        <translation>Höchste Bandbreite, die der Bildschirm des Kunden nutzen darf</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="142"/>
        <source>Unlimited</source>
        <translation>Unbegrenzt</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="165"/>
        <source>Read this number to the customer:</source>
        <translation>Lesen Sie dem Kunden diese Zahl vor:</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="168"/>
        <source>Waiting for the customer to allow…</source>
        <translation>Warte auf die Zustimmung des Kunden…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="170"/>
        <source>Waiting for consent</source>
        <translation>Warte auf Zustimmung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="178"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="187"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="191"/>
        <source>Disconnected</source>
        <translation>Getrennt</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="200"/>
        <source>View and control</source>
        <translation>Sehen und steuern</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="202"/>
        <source>View only</source>
        <translation>Nur sehen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="211"/>
        <source>{fps:.0f} fps · {rtt:.0f} ms · {rate}</source>
        <translation>{fps:.0f} fps · {rtt:.0f} ms · {rate}</translation>
    </message>
</context>
</TS>
