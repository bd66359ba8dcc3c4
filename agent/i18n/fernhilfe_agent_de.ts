<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AgentApp</name>
    <message>
        <location filename="../app.py" line="26"/>
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="30"/>
        <source>The technician ended the session.</source>
        <translation>Der Techniker hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="34"/>
        <source>You declined the session. Nothing was shared.</source>
        <translation>Sie haben die Sitzung abgelehnt. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="38"/>
        <source>Nobody answered in time. Nothing was shared.</source>
        <translation>Es kam keine Antwort rechtzeitig. Es wurde nichts geteilt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="42"/>
        <source>The connection to the technician was lost.</source>
        <translation>Die Verbindung zum Techniker ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="46"/>
        <source>The session was closed because a message was damaged or forged.</source>
        <translation>Die Sitzung wurde beendet, weil eine Nachricht beschädigt oder gefälscht war.</translation>
    </message>
    <message>
        <location filename="../app.py" line="50"/>
        <source>The session was closed because the other program misbehaved.</source>
        <translation>Die Sitzung wurde beendet, weil sich das Programm der Gegenseite fehlerhaft verhalten hat.</translation>
    </message>
    <message>
        <location filename="../app.py" line="54"/>
        <source>The technician uses another version of Fernhilfe. Please update both programs.</source>
        <translation>Der Techniker verwendet eine andere Version von Fernhilfe. Bitte aktualisieren Sie beide Programme.</translation>
    </message>
    <message>
        <location filename="../app.py" line="59"/>
        <source>The session was closed because of an error.</source>
        <translation>Die Sitzung wurde wegen eines Fehlers beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="64"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
</context>
<context>
    <name>CodeWindow</name>
    <message>
        <location filename="../ui/code_window.py" line="110"/>
        <location filename="../ui/code_window.py" line="167"/>
        <source>Copy</source>
        <extracomment>Internal state names, readable by tests and the integrator (``window.state``). The support company&apos;s logo at the top (None: no logo configured or readable).</extracomment>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="112"/>
        <source>Copy the code to the clipboard</source>
        <translation>Den Code in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="123"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="181"/>
        <source>Getting a code for your support session…</source>
        <translation>Ihr Code für die Fernwartung wird geholt…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="194"/>
        <source>The support service cannot be reached.</source>
        <translation>Der Support-Dienst ist nicht erreichbar.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="197"/>
        <source>Try again now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="207"/>
        <source>Read this code to your support technician on the phone.</source>
        <translation>Lesen Sie diesen Code Ihrem Support-Techniker am Telefon vor.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="214"/>
        <location filename="../ui/code_window.py" line="225"/>
        <source>Someone entered a wrong code. Here is a new one.</source>
        <translation>Jemand hat einen falschen Code eingegeben. Hier ist ein neuer.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="226"/>
        <source>Getting a new code…</source>
        <translation>Ein neuer Code wird geholt…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="234"/>
        <source>This code has expired. You can get a new one.</source>
        <translation>Dieser Code ist abgelaufen. Sie können einen neuen holen.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="235"/>
        <location filename="../ui/code_window.py" line="246"/>
        <source>Get a new code</source>
        <translation>Neuen Code holen</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="242"/>
        <source>The support session has ended.</source>
        <translation>Die Fernwartung ist beendet.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="300"/>
        <source>This code is valid for {time} minutes.</source>
        <translation>Dieser Code ist noch {time} Minuten gültig.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="306"/>
        <source>Trying again in {seconds} s.</source>
        <translation>Neuer Versuch in {seconds} s.</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="310"/>
        <source>Trying again now…</source>
        <translation>Neuer Versuch läuft…</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="319"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="335"/>
        <source>Remote support by {organisation}</source>
        <translation>Fernwartung durch {organisation}</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="338"/>
        <source>Remote support</source>
        <translation>Fernwartung</translation>
    </message>
    <message>
        <location filename="../ui/code_window.py" line="342"/>
        <source>Support phone: {phone}</source>
        <translation>Support-Telefon: {phone}</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <location filename="../ui/consent.py" line="61"/>
        <source>Allow remote support?</source>
        <translation>Fernwartung zulassen?</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="70"/>
        <source>A support technician wants to connect to this computer.</source>
        <extracomment>The support company&apos;s logo at the top (None: no logo configured or readable).</extracomment>
        <translation>Ein Support-Techniker möchte sich mit diesem Computer verbinden.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="74"/>
        <source>(no name given)</source>
        <translation>(kein Name angegeben)</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="79"/>
        <source>(no organisation given)</source>
        <translation>(keine Firma angegeben)</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="80"/>
        <source>{organisation} (unverified)</source>
        <translation>{organisation} (nicht überprüft)</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="85"/>
        <source>The name and organisation are what the technician typed in. Only allow if you called them or expect their call.</source>
        <translation>Name und Firma hat der Techniker selbst eingegeben. Lassen Sie die Verbindung nur zu, wenn Sie ihn angerufen haben oder seinen Anruf erwarten.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="90"/>
        <source>The technician must tell you this number. Does it match?</source>
        <translation>Der Techniker muss Ihnen diese Zahl nennen. Stimmt sie überein?</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="104"/>
        <source>The technician asks to:</source>
        <translation>Der Techniker möchte:</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="106"/>
        <source>See your screen</source>
        <translation>Ihren Bildschirm sehen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="110"/>
        <source>Control mouse and keyboard</source>
        <translation>Maus und Tastatur steuern</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="120"/>
        <source>Deny</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="122"/>
        <source>Allow</source>
        <translation>Zulassen</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="251"/>
        <source>Tick “See your screen” to allow a session.</source>
        <translation>Haken Sie „Ihren Bildschirm sehen“ an, um die Sitzung zuzulassen.</translation>
    </message>
    <message>
        <location filename="../ui/consent.py" line="258"/>
        <source>If you do nothing, this request is denied in {time}.</source>
        <translation>Wenn Sie nichts tun, wird die Anfrage in {time} abgelehnt.</translation>
    </message>
</context>
<context>
    <name>SessionOverlay</name>
    <message>
        <location filename="../ui/overlay.py" line="241"/>
        <source>your technician</source>
        <extracomment>Flags of every frame window; tests check them, the integrator need not care.</extracomment>
        <translation>Ihr Techniker</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="242"/>
        <source>Support by {name} is watching</source>
        <translation>Fernwartung: {name} sieht zu</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="244"/>
        <source>Stop control</source>
        <translation>Steuerung beenden</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="244"/>
        <source>Allow control</source>
        <translation>Steuerung erlauben</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="247"/>
        <source>The technician can use your mouse and keyboard. Click to stop this.</source>
        <translation>Der Techniker kann Maus und Tastatur bedienen. Klicken Sie, um das zu beenden.</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="249"/>
        <source>The technician can only watch. Click to let them use mouse and keyboard.</source>
        <translation>Der Techniker kann nur zusehen. Klicken Sie, um ihm Maus und Tastatur zu erlauben.</translation>
    </message>
    <message>
        <location filename="../ui/overlay.py" line="251"/>
        <source>End session</source>
        <translation>Sitzung beenden</translation>
    </message>
    <message>
        <source>Keyboard: {keys} stops control, press it again to end the session.</source>
        <translation>Tastatur: {keys} beendet die Steuerung, noch einmal gedrückt die Sitzung.</translation>
    </message>
    <message>
        <source>Ctrl+Alt+End</source>
        <translation>Strg+Alt+Ende</translation>
    </message>
</context>
</TS>
