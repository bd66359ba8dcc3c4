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
