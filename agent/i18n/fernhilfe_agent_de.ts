<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>AgentApp</name>
    <message>
        <location filename="../app.py" line="25" />
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="29" />
        <source>The technician ended the session.</source>
        <translation>Der Techniker hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="33" />
        <source>You declined the session. Nothing was shared.</source>
        <translation>Sie haben die Sitzung abgelehnt. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="37" />
        <source>Nobody answered in time. Nothing was shared.</source>
        <translation>Es kam keine Antwort rechtzeitig. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="41" />
        <source>The connection to the technician was lost.</source>
        <translation>Die Verbindung zum Techniker ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="45" />
        <source>The session was closed because a message was damaged or forged.</source>
        <translation>Die Sitzung wurde beendet, weil eine Nachricht beschädigt oder gefälscht war.</translation>
    </message>
    <message>
        <location filename="../app.py" line="49" />
        <source>The session was closed because the other program misbehaved.</source>
        <translation>Die Sitzung wurde beendet, weil sich das Programm der Gegenseite fehlerhaft verhalten hat.</translation>
    </message>
    <message>
        <location filename="../app.py" line="53" />
        <source>The technician uses another version of Fernhilfe. Please update both programs.</source>
        <translation>Der Techniker verwendet eine andere Version von Fernhilfe. Bitte aktualisieren Sie beide Programme.</translation>
    </message>
    <message>
        <location filename="../app.py" line="58" />
        <source>The session was closed because of an error.</source>
        <translation>Die Sitzung wurde wegen eines Fehlers beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="63" />
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
</context>
<context>
    <name>CodeWindow</name>
    <message>
        <location filename="../ui/code_window.py" line="107" />
        <location filename="../ui/code_window.py" line="162" />
        <source>Copy</source>
        <extracomment>Internal state names, readable by tests and the integrator (``window.state``).</extracomment>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="109" />
        <source>Copy the code to the clipboard</source>
        <translation>Den Code in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="120" />
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="176" />
        <source>Getting a code for your support session…</source>
        <translation>Ihr Code für die Fernwartung wird geholt…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="189" />
        <source>The support service cannot be reached.</source>
        <translation>Der Support-Dienst ist nicht erreichbar.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="192" />
        <source>Try again now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="202" />
        <source>Read this code to your support technician on the phone.</source>
        <translation>Lesen Sie diesen Code Ihrem Support-Techniker am Telefon vor.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="209" />
        <location filename="../ui/code_window.py" line="220" />
        <source>Someone entered a wrong code. Here is a new one.</source>
        <translation>Jemand hat einen falschen Code eingegeben. Hier ist ein neuer.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="221" />
        <source>Getting a new code…</source>
        <translation>Ein neuer Code wird geholt…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="229" />
        <source>This code has expired. You can get a new one.</source>
        <translation>Dieser Code ist abgelaufen. Sie können einen neuen holen.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="230" />
        <location filename="../ui/code_window.py" line="241" />
        <source>Get a new code</source>
        <translation>Neuen Code holen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="237" />
        <source>The support session has ended.</source>
        <translation>Die Fernwartung ist beendet.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="295" />
        <source>This code is valid for {time} minutes.</source>
        <translation>Dieser Code ist noch {time} Minuten gültig.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="301" />
        <source>Trying again in {seconds} s.</source>
        <translation>Neuer Versuch in {seconds} s.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="305" />
        <source>Trying again now…</source>
        <translation>Neuer Versuch läuft…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="314" />
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="330" />
        <source>Remote support by {organisation}</source>
        <translation>Fernwartung durch {organisation}</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="333" />
        <source>Remote support</source>
        <translation>Fernwartung</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="337" />
        <source>Support phone: {phone}</source>
        <translation>Support-Telefon: {phone}</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <location filename="../ui/consent.py" line="61" />
        <source>Allow remote support?</source>
        <translation>Fernwartung zulassen?</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="67" />
        <source>A support technician wants to connect to this computer.</source>
        <translation>Ein Support-Techniker möchte sich mit diesem Computer verbinden.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="71" />
        <source>(no name given)</source>
        <translation>(kein Name angegeben)</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="76" />
        <source>(no organisation given)</source>
        <translation>(keine Firma angegeben)</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="77" />
        <source>{organisation} (unverified)</source>
        <translation>{organisation} (nicht überprüft)</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="82" />
        <source>The name and organisation are what the technician typed in. Only allow if you called them or expect their call.</source>
        <translation>Name und Firma hat der Techniker selbst eingegeben. Lassen Sie die Verbindung nur zu, wenn Sie ihn angerufen haben oder seinen Anruf erwarten.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="87" />
        <source>The technician must tell you this number. Does it match?</source>
        <translation>Der Techniker muss Ihnen diese Zahl nennen. Stimmt sie überein?</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="101" />
        <source>The technician asks to:</source>
        <translation>Der Techniker möchte:</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="103" />
        <source>See your screen</source>
        <translation>Ihren Bildschirm sehen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="107" />
        <source>Control mouse and keyboard</source>
        <translation>Maus und Tastatur steuern</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="117" />
        <source>Deny</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="119" />
        <source>Allow</source>
        <translation>Zulassen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="245" />
        <source>Tick “See your screen” to allow a session.</source>
        <translation>Haken Sie „Ihren Bildschirm sehen“ an, um die Sitzung zuzulassen.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="252" />
        <source>If you do nothing, this request is denied in {time}.</source>
        <translation>Wenn Sie nichts tun, wird die Anfrage in {time} abgelehnt.</translation>
    </message>
</context>
<context>
    <name>SessionOverlay</name>
    <message>
        <location filename="../ui/overlay.py" line="241" />
        <source>your technician</source>
        <extracomment>Flags of every frame window; tests check them, the integrator need not care.</extracomment>
        <translation>Ihr Techniker</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="242" />
        <source>Support by {name} is watching</source>
        <translation>Fernwartung: {name} sieht zu</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="244" />
        <source>Stop control</source>
        <translation>Steuerung beenden</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="244" />
        <source>Allow control</source>
        <translation>Steuerung erlauben</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="247" />
        <source>The technician can use your mouse and keyboard. Click to stop this.</source>
        <translation>Der Techniker kann Maus und Tastatur bedienen. Klicken Sie, um das zu beenden.</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="249" />
        <source>The technician can only watch. Click to let them use mouse and keyboard.</source>
        <translation>Der Techniker kann nur zusehen. Klicken Sie, um ihm Maus und Tastatur zu erlauben.</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="251" />
        <source>End session</source>
        <translation>Sitzung beenden</translation>
    </message>
</context>
</TS>