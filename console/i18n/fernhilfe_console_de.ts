<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AskDialog</name>
    <message>
        <location filename="../ui/permissions.py" line="79"/>
        <source>Ask the customer for more</source>
        <translation>Den Kunden um mehr bitten</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="81"/>
        <source>Tick what you want to ask the customer for. The customer decides on their screen; nothing changes until they allow it.</source>
        <translation>Kreuzen Sie an, worum Sie den Kunden bitten möchten. Der Kunde entscheidet auf seinem Bildschirm; bis er zulässt, ändert sich nichts.</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="96"/>
        <source>Ask the customer</source>
        <translation>Den Kunden fragen</translation>
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
    <name>ChatPanel</name>
    <message>
        <location filename="../ui/chat_panel.py" line="32"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../ui/chat_panel.py" line="40"/>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location filename="../ui/chat_panel.py" line="45"/>
        <source>The customer keeps this chat in the session record.</source>
        <translation>Der Kunde behält diesen Chat im Sitzungsprotokoll.</translation>
    </message>
    <message>
        <location filename="../ui/chat_panel.py" line="62"/>
        <source>Show or hide the chat with the customer</source>
        <translation>Chat mit dem Kunden anzeigen oder ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/chat_panel.py" line="101"/>
        <source>The customer keeps this chat in the session record from now on.</source>
        <translation>Der Kunde behält diesen Chat ab jetzt im Sitzungsprotokoll.</translation>
    </message>
    <message>
        <location filename="../ui/chat_panel.py" line="102"/>
        <source>The customer no longer keeps this chat in the session record.</source>
        <translation>Der Kunde behält diesen Chat nicht mehr im Sitzungsprotokoll.</translation>
    </message>
    <message>
        <location filename="../ui/chat_panel.py" line="137"/>
        <source>C&amp;hat ({count})</source>
        <translation>C&amp;hat ({count})</translation>
    </message>
    <message>
        <location filename="../ui/chat_panel.py" line="138"/>
        <source>C&amp;hat</source>
        <translation>C&amp;hat</translation>
    </message>
</context>
<context>
    <name>ConnectWindow</name>
    <message>
        <location filename="../ui/connect_window.py" line="88"/>
        <source>Fernhilfe – Connect to a customer</source>
        <translation>Fernhilfe – Mit einem Kunden verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="92"/>
        <source>Your name, as the customer will see it</source>
        <translation>Ihr Name, so wie der Kunde ihn sieht</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="94"/>
        <source>Your company, as the customer will see it</source>
        <translation>Ihre Firma, so wie der Kunde sie sieht</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="138"/>
        <source>Session records…</source>
        <translation>Sitzungsprotokolle…</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="141"/>
        <source>History…</source>
        <translation>Verlauf…</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="143"/>
        <source>Session history</source>
        <translation>Sitzungsverlauf</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="151"/>
        <location filename="../ui/connect_window.py" line="271"/>
        <source>Import certificate…</source>
        <translation>Zertifikat importieren…</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="163"/>
        <source>&amp;Your name:</source>
        <translation>&amp;Ihr Name:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="164"/>
        <source>Your com&amp;pany:</source>
        <translation>Ihre &amp;Firma:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="165"/>
        <source>Connection &amp;service:</source>
        <translation>&amp;Verbindungsdienst:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="166"/>
        <source>C&amp;ode:</source>
        <translation>C&amp;ode:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="170"/>
        <source>Also ask the customer for:</source>
        <translation>Den Kunden außerdem bitten um:</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="190"/>
        <source>Ask the customer to read out the code that Fernhilfe shows on their screen.</source>
        <translation>Bitten Sie den Kunden, Ihnen den Code vorzulesen, den Fernhilfe auf seinem Bildschirm zeigt.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="215"/>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="216"/>
        <source>Your company</source>
        <translation>Ihre Firma</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="217"/>
        <source>Address of the connection service</source>
        <translation>Adresse des Verbindungsdienstes</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="218"/>
        <source>Code the customer reads out</source>
        <translation>Code, den der Kunde vorliest</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="220"/>
        <source>Who you connect as</source>
        <translation>Als wer Sie sich verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="221"/>
        <source>Import certificate</source>
        <translation>Zertifikat importieren</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="222"/>
        <source>Session records</source>
        <translation>Sitzungsprotokolle</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="223"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="224"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="225"/>
        <source>What else to ask the customer for</source>
        <translation>Worum Sie den Kunden außerdem bitten</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="226"/>
        <source>Hint</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="246"/>
        <source>Connecting to the customer…</source>
        <translation>Verbindung zum Kunden wird aufgebaut…</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="265"/>
        <source>Verified: {name}, {organisation} (certificate valid until {date})</source>
        <translation>Verifiziert: {name}, {organisation} (Zertifikat gültig bis {date})</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="275"/>
        <source>From your certificate</source>
        <translation>Aus Ihrem Zertifikat</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="282"/>
        <source>Not verified — the customer sees a warning.</source>
        <translation>Nicht verifiziert – der Kunde sieht eine Warnung.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="349"/>
        <source>Please enter your name: the customer sees it before allowing the session.</source>
        <translation>Bitte geben Sie Ihren Namen ein: Der Kunde sieht ihn, bevor er die Sitzung zulässt.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="361"/>
        <source>The address of the connection service starts with wss:// (or ws:// for one on this computer).</source>
        <translation>Die Adresse des Verbindungsdienstes beginnt mit wss:// (oder ws://, wenn er auf diesem Computer läuft).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="368"/>
        <source>Please enter the code the customer reads out to you.</source>
        <translation>Bitte geben Sie den Code ein, den der Kunde Ihnen vorliest.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="391"/>
        <source>Your company name is too long for the customer&apos;s window (at most {n} characters).</source>
        <translation>Ihr Firmenname ist zu lang für das Fenster des Kunden (höchstens {n} Zeichen).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="397"/>
        <source>Your company name contains characters the customer&apos;s window does not show (line breaks, invisible or text-direction characters, special spaces). Please type it plainly.</source>
        <translation>Ihr Firmenname enthält Zeichen, die das Fenster des Kunden nicht anzeigt (Zeilenumbrüche, unsichtbare Zeichen, Schreibrichtungszeichen oder besondere Leerzeichen). Bitte schreiben Sie ihn ohne diese Zeichen.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="135"/>
        <location filename="../ui/connect_window.py" line="219"/>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="369"/>
        <location filename="../app.py" line="332"/>
        <source>The code has only digits, like 123 456 789.</source>
        <translation>Der Code besteht nur aus Ziffern, zum Beispiel 123 456 789.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="370"/>
        <location filename="../app.py" line="328"/>
        <source>The code has 9 digits, like 123 456 789. Please check it.</source>
        <translation>Der Code hat 9 Ziffern, zum Beispiel 123 456 789. Bitte prüfen Sie ihn.</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="389"/>
        <source>Your name is too long for the customer&apos;s window (at most {n} characters).</source>
        <translation>Ihr Name ist zu lang für das Fenster des Kunden (höchstens {n} Zeichen).</translation>
    </message>
    <message>
        <location filename="../ui/connect_window.py" line="394"/>
        <source>Your name contains characters the customer&apos;s window does not show (line breaks, invisible or text-direction characters, special spaces). Please type it plainly.</source>
        <translation>Ihr Name enthält Zeichen, die das Fenster des Kunden nicht anzeigt (Zeilenumbrüche, unsichtbare Zeichen, Schreibrichtungszeichen oder besondere Leerzeichen). Bitte schreiben Sie ihn ohne diese Zeichen.</translation>
    </message>
</context>
<context>
    <name>ConsoleApp</name>
    <message>
        <location filename="../app.py" line="60"/>
        <source>The customer declined the session.</source>
        <translation>Der Kunde hat die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="64"/>
        <source>The customer did not answer in time.</source>
        <translation>Der Kunde hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="68"/>
        <source>The customer ended the session.</source>
        <translation>Der Kunde hat die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="72"/>
        <source>You ended the session.</source>
        <translation>Sie haben die Sitzung beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="77"/>
        <source>The customer is restarting Fernhilfe with administrator rights; connect again with the new code.</source>
        <translation>Der Kunde startet Fernhilfe mit Administratorrechten neu; verbinden Sie sich mit dem neuen Code erneut.</translation>
    </message>
    <message>
        <location filename="../app.py" line="82"/>
        <source>The code was wrong. It is now used up: please ask the customer for the new code their program shows.</source>
        <translation>Der Code passte nicht und ist jetzt verbraucht. Bitte fragen Sie den Kunden nach dem neuen Code, den sein Programm jetzt anzeigt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="87"/>
        <source>The connection to the customer was lost.</source>
        <translation>Die Verbindung zum Kunden ist abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="91"/>
        <source>The connection to the customer was lost and did not come back in time.</source>
        <translation>Die Verbindung zum Kunden ist abgebrochen und kam nicht rechtzeitig zurück.</translation>
    </message>
    <message>
        <location filename="../app.py" line="95"/>
        <source>The session was ended because a message was damaged or forged on the way.</source>
        <translation>Die Sitzung wurde beendet, weil eine Nachricht unterwegs beschädigt oder gefälscht wurde.</translation>
    </message>
    <message>
        <location filename="../app.py" line="99"/>
        <source>The session was ended because the customer&apos;s program sent more than the console accepts (for example a screen wider or taller than 8192 pixels, or a faulty or manipulated program).</source>
        <translation>Die Sitzung wurde beendet, weil das Programm des Kunden mehr gesendet hat, als die Konsole annimmt (zum Beispiel einen Bildschirm, der breiter oder höher als 8192 Pixel ist, oder ein fehlerhaftes oder manipuliertes Programm).</translation>
    </message>
    <message>
        <location filename="../app.py" line="134"/>
        <source>The customer&apos;s program only accepts verified technicians of its support company. Import your certificate or ask your administrator.</source>
        <translation>Das Programm des Kunden akzeptiert nur verifizierte Techniker seines IT-Dienstleisters. Importieren Sie Ihr Zertifikat oder fragen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <location filename="../app.py" line="163"/>
        <source>The customer&apos;s program said: {reason}</source>
        <translation>Das Programm des Kunden meldet: {reason}</translation>
    </message>
    <message>
        <location filename="../app.py" line="171"/>
        <source>The passphrase is wrong. Please try again.</source>
        <translation>Die Passphrase ist falsch. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="173"/>
        <source>This is not a certificate or key file from your administrator. Please check which files you chose.</source>
        <translation>Das ist keine Zertifikats- oder Schlüsseldatei von Ihrem Administrator. Bitte prüfen Sie, welche Dateien Sie gewählt haben.</translation>
    </message>
    <message>
        <location filename="../app.py" line="176"/>
        <source>This certificate is damaged. Please ask your administrator for it again.</source>
        <translation>Dieses Zertifikat ist beschädigt. Bitte lassen Sie es sich von Ihrem Administrator noch einmal geben.</translation>
    </message>
    <message>
        <location filename="../app.py" line="179"/>
        <source>The key file does not belong to this certificate. Please check that both files are yours.</source>
        <translation>Die Schlüsseldatei gehört nicht zu diesem Zertifikat. Bitte prüfen Sie, ob beide Dateien Ihre sind.</translation>
    </message>
    <message>
        <location filename="../app.py" line="182"/>
        <source>This certificate has expired. Please ask your administrator for a renewed one.</source>
        <translation>Dieses Zertifikat ist abgelaufen. Bitte fragen Sie Ihren Administrator nach einem erneuerten.</translation>
    </message>
    <message>
        <location filename="../app.py" line="185"/>
        <source>The passphrase needs at least 8 characters.</source>
        <translation>Die Passphrase braucht mindestens 8 Zeichen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="187"/>
        <source>The keyring did not accept your key. Please choose a passphrase for it instead.</source>
        <translation>Der Schlüsselbund hat Ihren Schlüssel nicht angenommen. Bitte wählen Sie stattdessen eine Passphrase dafür.</translation>
    </message>
    <message>
        <location filename="../app.py" line="190"/>
        <source>Your key cannot be read from this computer&apos;s keyring. Please import your certificate again.</source>
        <translation>Ihr Schlüssel kann nicht aus dem Schlüsselbund dieses Computers gelesen werden. Bitte importieren Sie Ihr Zertifikat noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="193"/>
        <source>Your certificate cannot be saved on this computer (details are in the log).</source>
        <translation>Ihr Zertifikat kann auf diesem Computer nicht gespeichert werden (Einzelheiten stehen im Log).</translation>
    </message>
    <message>
        <location filename="../app.py" line="197"/>
        <source>The certificate cannot be used (details are in the log).</source>
        <translation>Das Zertifikat kann nicht verwendet werden (Einzelheiten stehen im Log).</translation>
    </message>
    <message>
        <location filename="../app.py" line="228"/>
        <source>The connection service is busy right now. Please try again in a minute.</source>
        <translation>Der Verbindungsdienst ist gerade ausgelastet. Bitte versuchen Sie es in einer Minute noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="237"/>
        <source>A message was too large for the connection service. Please start a new session.</source>
        <translation>Eine Nachricht war zu groß für den Verbindungsdienst. Bitte starten Sie eine neue Sitzung.</translation>
    </message>
    <message>
        <location filename="../app.py" line="241"/>
        <source>The connection service did not understand this program. Please update Fernhilfe.</source>
        <translation>Der Verbindungsdienst hat dieses Programm nicht verstanden. Bitte aktualisieren Sie Fernhilfe.</translation>
    </message>
    <message>
        <location filename="../app.py" line="246"/>
        <source>The connection service ended the connection because nothing happened for a long time.</source>
        <translation>Der Verbindungsdienst hat die Verbindung beendet, weil lange nichts passiert ist.</translation>
    </message>
    <message>
        <location filename="../app.py" line="251"/>
        <source>Setting up the connection took too long. Please try again.</source>
        <translation>Der Verbindungsaufbau hat zu lange gedauert. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="255"/>
        <source>The connection service is restarting. Please connect again in a moment.</source>
        <translation>Der Verbindungsdienst startet gerade neu. Bitte verbinden Sie sich gleich noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="259"/>
        <source>The connection service ended the session because it reached the data limit its operator set. Please start a new session.</source>
        <translation>Der Verbindungsdienst hat die Sitzung beendet, weil die Datenmenge erreicht ist, die sein Betreiber festgelegt hat. Bitte starten Sie eine neue Sitzung.</translation>
    </message>
    <message>
        <location filename="../app.py" line="301"/>
        <source>The connection service cannot be reached. Please check its address and your internet connection.</source>
        <extracomment>Prefix of a kind (or end reason) that carries the relay&apos;s stable error code.</extracomment>
        <translation>Der Verbindungsdienst ist nicht erreichbar. Bitte prüfen Sie seine Adresse und Ihre Internetverbindung.</translation>
    </message>
    <message>
        <location filename="../app.py" line="306"/>
        <source>This address of the connection service is not allowed: it must start with wss:// (ws:// only for a connection service on this computer).</source>
        <translation>Diese Adresse des Verbindungsdienstes ist nicht erlaubt: Sie muss mit wss:// beginnen (ws:// nur für einen Verbindungsdienst auf diesem Computer).</translation>
    </message>
    <message>
        <location filename="../app.py" line="311"/>
        <source>The connection service closed the connection. Please try again.</source>
        <translation>Der Verbindungsdienst hat die Verbindung beendet. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="315"/>
        <source>This is not a code. A code has 9 digits, like 123 456 789.</source>
        <translation>Das ist kein Code. Ein Code hat 9 Ziffern, zum Beispiel 123 456 789.</translation>
    </message>
    <message>
        <location filename="../app.py" line="455"/>
        <source>Your certificate expired on {date}.</source>
        <extracomment>the session&apos;s clipboard bridge (enabled only while the customer allows it) the running session&apos;s record file name, the history&apos;s key for the notes the technician&apos;s notes (customer, note) on the current session where notes are saved (the session history&apos;s store, opened at the first note; None until then, or when it cannot be opened: the notes stay in the window)</extracomment>
        <translation>Ihr Zertifikat ist am {date} abgelaufen.</translation>
    </message>
    <message>
        <location filename="../app.py" line="459"/>
        <source>Your key cannot be used.</source>
        <translation>Ihr Schlüssel kann nicht verwendet werden.</translation>
    </message>
    <message>
        <location filename="../app.py" line="105"/>
        <source>The customer uses another version of Fernhilfe. Please update both programs.</source>
        <translation>Der Kunde verwendet eine andere Version von Fernhilfe. Bitte aktualisieren Sie beide Programme.</translation>
    </message>
    <message>
        <location filename="../app.py" line="110"/>
        <source>The session was ended because the customer&apos;s program sent something it must not send.</source>
        <translation>Die Sitzung wurde beendet, weil das Programm des Kunden etwas gesendet hat, das es nicht senden darf.</translation>
    </message>
    <message>
        <location filename="../app.py" line="115"/>
        <source>The session was ended because of an error (details are in the log).</source>
        <translation>Die Sitzung wurde wegen eines Fehlers beendet (Einzelheiten stehen in der Logdatei).</translation>
    </message>
    <message>
        <location filename="../app.py" line="129"/>
        <source>The session was ended because its session record could not be saved (the records folder on your computer or the customer&apos;s is missing, read-only or full).</source>
        <translation>Die Sitzung wurde beendet, weil ihr Sitzungsprotokoll nicht gespeichert werden konnte (der Ordner dafür fehlt auf Ihrem Computer oder dem des Kunden, ist schreibgeschützt oder voll).</translation>
    </message>
    <message>
        <location filename="../app.py" line="140"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../app.py" line="119"/>
        <source>The customer&apos;s program stopped responding, or the customer did not answer. Please ask the customer for a new code.</source>
        <translation>Das Programm des Kunden antwortet nicht mehr, oder der Kunde hat nicht geantwortet. Bitte fragen Sie den Kunden nach einem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="124"/>
        <source>No session was started: this computer cannot save the session record (its records folder is missing, read-only or full). The customer&apos;s code is still valid.</source>
        <translation>Es wurde keine Sitzung gestartet: Dieser Computer kann das Sitzungsprotokoll nicht speichern (der Ordner dafür fehlt, ist schreibgeschützt oder voll). Der Code des Kunden gilt weiterhin.</translation>
    </message>
    <message>
        <location filename="../app.py" line="209"/>
        <source>No customer is waiting with this code. Please check the code, or ask the customer to read out the code their program shows now.</source>
        <translation>Mit diesem Code wartet kein Kunde. Bitte prüfen Sie den Code, oder bitten Sie den Kunden, den Code vorzulesen, den sein Programm jetzt anzeigt.</translation>
    </message>
    <message>
        <location filename="../app.py" line="214"/>
        <source>This code has expired. Please ask the customer for the new code.</source>
        <translation>Dieser Code ist abgelaufen. Bitte fragen Sie den Kunden nach dem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="218"/>
        <source>This code has already been used. Each code works once; please ask the customer for the new code.</source>
        <translation>Dieser Code wurde schon verwendet. Jeder Code gilt nur einmal; bitte fragen Sie den Kunden nach dem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="223"/>
        <source>Someone else is already connected with this code. Please ask the customer for a new code.</source>
        <translation>Mit diesem Code ist schon jemand anderes verbunden. Bitte fragen Sie den Kunden nach einem neuen Code.</translation>
    </message>
    <message>
        <location filename="../app.py" line="232"/>
        <source>Too many connection attempts from your network. Please wait a little and try again.</source>
        <translation>Zu viele Verbindungsversuche aus Ihrem Netz. Bitte warten Sie kurz und versuchen Sie es dann noch einmal.</translation>
    </message>
    <message>
        <location filename="../app.py" line="264"/>
        <source>The customer&apos;s computer left the session.</source>
        <translation>Der Computer des Kunden ist nicht mehr verbunden.</translation>
    </message>
    <message>
        <location filename="../app.py" line="271"/>
        <source>The connection could not be set up. Please try again; if it keeps happening, tell your administrator (details are in the log).</source>
        <translation>Die Verbindung konnte nicht aufgebaut werden. Bitte versuchen Sie es noch einmal; wenn es wieder passiert, wenden Sie sich an Ihren Administrator (Einzelheiten stehen in der Logdatei).</translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message>
        <location filename="../ui/history_window.py" line="158"/>
        <source>Session history</source>
        <extracomment>The table&apos;s columns; customer and note are the technician&apos;s and can be edited. The first day the date fields offer; showing it means &quot;no limit&quot;. Where the view keeps each row&apos;s record key.</extracomment>
        <translation>Sitzungsverlauf</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="168"/>
        <source>Every session you ran, from the session records on this computer. Customer and note are yours: double-click to write them. They are kept only in this list.</source>
        <translation>Alle Ihre Sitzungen, aus den Sitzungsprotokollen auf diesem Computer. Kunde und Notiz tragen Sie selbst ein: Doppelklick zum Schreiben. Sie werden nur in dieser Liste gespeichert.</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="176"/>
        <source>Search customer, note, file or how it ended</source>
        <translation>Kunde, Notiz, Datei oder Ende suchen</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="177"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="179"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="180"/>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="183"/>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="183"/>
        <source>&amp;To:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="202"/>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="204"/>
        <source>Newest session first. Press F2 to write the customer or the note.</source>
        <translation>Neueste Sitzung zuerst. Mit F2 schreiben Sie Kunde oder Notiz.</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="207"/>
        <source>No sessions found.</source>
        <translation>Keine Sitzungen gefunden.</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="215"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="216"/>
        <source>Open record</source>
        <translation>Protokoll öffnen</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="217"/>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="218"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="246"/>
        <source>any</source>
        <translation>beliebig</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="266"/>
        <source>Reading the session records…</source>
        <translation>Sitzungsprotokolle werden gelesen…</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="293"/>
        <source>The session history could not be updated (details are in the log).</source>
        <translation>Der Sitzungsverlauf konnte nicht aktualisiert werden (Einzelheiten stehen im Log).</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="325"/>
        <source>The session history cannot be opened (details are in the log).</source>
        <translation>Der Sitzungsverlauf lässt sich nicht öffnen (Einzelheiten stehen im Log).</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="348"/>
        <source>Started</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="348"/>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="348"/>
        <location filename="../ui/history_window.py" line="354"/>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="349"/>
        <location filename="../ui/history_window.py" line="355"/>
        <source>Permissions</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="349"/>
        <location filename="../ui/history_window.py" line="355"/>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="349"/>
        <location filename="../ui/history_window.py" line="355"/>
        <source>How it ended</source>
        <translation>Wie die Sitzung endete</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="350"/>
        <location filename="../ui/history_window.py" line="354"/>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="353"/>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="353"/>
        <source>Start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="353"/>
        <source>End</source>
        <translation>Ende</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="354"/>
        <source>Duration (minutes)</source>
        <translation>Dauer (Minuten)</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="359"/>
        <source>unknown time</source>
        <translation>Zeit unbekannt</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="360"/>
        <source>%Y-%m-%d %H:%M</source>
        <translation>%d.%m.%Y %H:%M</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="366"/>
        <source>{0} min</source>
        <translation>{0} Min.</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="371"/>
        <source>screen</source>
        <translation>Bildschirm sehen</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="372"/>
        <source>control</source>
        <translation>steuern</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="373"/>
        <source>clipboard</source>
        <translation>Zwischenablage</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="374"/>
        <source>files to the customer</source>
        <translation>Dateien an den Kunden</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="375"/>
        <source>files from the customer</source>
        <translation>Dateien vom Kunden</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="379"/>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="384"/>
        <source>{0} ({1}): {2}</source>
        <translation>{0} ({1}): {2}</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="390"/>
        <source>record cannot be read</source>
        <translation>Protokoll nicht lesbar</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="392"/>
        <source>no end recorded</source>
        <translation>kein Ende aufgezeichnet</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="394"/>
        <source>denied by the customer</source>
        <translation>vom Kunden abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="395"/>
        <source>ended by the customer</source>
        <translation>vom Kunden beendet</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="397"/>
        <source>ended by you</source>
        <translation>von Ihnen beendet</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="400"/>
        <source>connection lost</source>
        <translation>Verbindung abgebrochen</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="402"/>
        <source>not answered in time</source>
        <translation>nicht rechtzeitig beantwortet</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="403"/>
        <source>ended by an error</source>
        <translation>durch einen Fehler beendet</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="421"/>
        <source>The note could not be saved (details are in the log).</source>
        <translation>Die Notiz konnte nicht gespeichert werden (Einzelheiten stehen im Log).</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="443"/>
        <source>The record window lists only the newest records; this one is in the folder as {0}.</source>
        <translation>Das Protokollfenster zeigt nur die neuesten Sitzungsprotokolle; dieses liegt im Ordner als {0}.</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="453"/>
        <source>sessions</source>
        <translation>sitzungen</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="455"/>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="456"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="476"/>
        <source>The file could not be saved. Please choose another folder.</source>
        <translation>Die Datei konnte nicht gespeichert werden. Bitte wählen Sie einen anderen Ordner.</translation>
    </message>
    <message>
        <location filename="../ui/history_window.py" line="479"/>
        <source>{0} sessions saved: {1}</source>
        <translation>{0} Sitzungen gespeichert: {1}</translation>
    </message>
</context>
<context>
    <name>ImportIdentityDialog</name>
    <message>
        <location filename="../ui/identity_dialogs.py" line="59"/>
        <source>Import certificate</source>
        <translation>Zertifikat importieren</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="62"/>
        <source>Your administrator gave you two files: your certificate (.fhcert) and your key (.fhkey), and the key&apos;s passphrase. With them, customers see that you really work for your support company.</source>
        <translation>Ihr Administrator hat Ihnen zwei Dateien gegeben: Ihr Zertifikat (.fhcert) und Ihren Schlüssel (.fhkey), dazu die Passphrase des Schlüssels. Damit sehen Kunden, dass Sie wirklich für Ihren IT-Dienstleister arbeiten.</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="77"/>
        <location filename="../ui/identity_dialogs.py" line="81"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="78"/>
        <source>Choose the certificate file</source>
        <translation>Zertifikatsdatei wählen</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="80"/>
        <source>Fernhilfe certificate (*.fhcert)</source>
        <translation>Fernhilfe-Zertifikat (*.fhcert)</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="82"/>
        <source>Choose the key file</source>
        <translation>Schlüsseldatei wählen</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="84"/>
        <source>Fernhilfe key (*.fhkey)</source>
        <translation>Fernhilfe-Schlüssel (*.fhkey)</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="87"/>
        <source>&amp;Certificate:</source>
        <translation>&amp;Zertifikat:</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="89"/>
        <source>&amp;Key:</source>
        <translation>&amp;Schlüssel:</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="93"/>
        <source>Key &amp;passphrase:</source>
        <translation>&amp;Passphrase des Schlüssels:</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="97"/>
        <source>&amp;New passphrase:</source>
        <translation>&amp;Neue Passphrase:</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="99"/>
        <source>&amp;Repeat it:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="104"/>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="107"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="116"/>
        <source>Certificate file</source>
        <translation>Zertifikatsdatei</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="117"/>
        <source>Key file</source>
        <translation>Schlüsseldatei</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="118"/>
        <source>Passphrase of the key file</source>
        <translation>Passphrase der Schlüsseldatei</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="119"/>
        <source>New passphrase</source>
        <translation>Neue Passphrase</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="120"/>
        <source>Repeat the new passphrase</source>
        <translation>Neue Passphrase wiederholen</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="121"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="134"/>
        <source>This computer has no keyring the console can use. Choose a passphrase that protects your key here; the console asks for it once each time it starts.</source>
        <translation>Dieser Computer hat keinen Schlüsselbund, den die Konsole nutzen kann. Wählen Sie eine Passphrase, die Ihren Schlüssel hier schützt; die Konsole fragt bei jedem Start einmal danach.</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="137"/>
        <source>Your key will be kept in this computer&apos;s keyring.</source>
        <translation>Ihr Schlüssel wird im Schlüsselbund dieses Computers aufbewahrt.</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="165"/>
        <source>Please choose both files: the certificate and the key.</source>
        <translation>Bitte wählen Sie beide Dateien: das Zertifikat und den Schlüssel.</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="168"/>
        <source>Please enter the passphrase of the key file.</source>
        <translation>Bitte geben Sie die Passphrase der Schlüsseldatei ein.</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="175"/>
        <source>The two new passphrases differ.</source>
        <translation>Die beiden neuen Passphrasen sind verschieden.</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="179"/>
        <source>Please choose a passphrase for your key on this computer.</source>
        <translation>Bitte wählen Sie eine Passphrase für Ihren Schlüssel auf diesem Computer.</translation>
    </message>
</context>
<context>
    <name>MonitorPicker</name>
    <message>
        <location filename="../ui/monitor_picker.py" line="56"/>
        <source>Shared &amp;monitor:</source>
        <translation>Freigegebener &amp;Monitor:</translation>
    </message>
    <message>
        <location filename="../ui/monitor_picker.py" line="57"/>
        <source>Shared monitor</source>
        <translation>Freigegebener Monitor</translation>
    </message>
    <message>
        <location filename="../ui/monitor_picker.py" line="58"/>
        <source>Which of the customer&apos;s monitors you see</source>
        <translation>Welchen Monitor des Kunden Sie sehen</translation>
    </message>
    <message>
        <location filename="../ui/monitor_picker.py" line="63"/>
        <source>All monitors</source>
        <translation>Alle Monitore</translation>
    </message>
    <message>
        <location filename="../ui/monitor_picker.py" line="65"/>
        <source>Monitor {n} ({width}×{height})</source>
        <translation>Monitor {n} ({width}×{height})</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <location filename="../ui/notes_panel.py" line="38"/>
        <source>Session notes</source>
        <extracomment>Quiet time after the last key before the notes are handed on. Longest customer name and note kept (characters).</extracomment>
        <translation>Notizen zur Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/notes_panel.py" line="47"/>
        <source>Customer name or number, for billing</source>
        <translation>Name oder Nummer des Kunden, für die Abrechnung</translation>
    </message>
    <message>
        <location filename="../ui/notes_panel.py" line="48"/>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location filename="../ui/notes_panel.py" line="51"/>
        <source>What was done (only you see this)</source>
        <translation>Was gemacht wurde (nur Sie sehen das)</translation>
    </message>
    <message>
        <location filename="../ui/notes_panel.py" line="52"/>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../ui/notes_panel.py" line="57"/>
        <source>C&amp;ustomer:</source>
        <translation>K&amp;unde:</translation>
    </message>
    <message>
        <location filename="../ui/notes_panel.py" line="58"/>
        <source>N&amp;ote:</source>
        <translation>N&amp;otiz:</translation>
    </message>
    <message>
        <location filename="../ui/notes_panel.py" line="68"/>
        <source>&amp;Notes</source>
        <translation>&amp;Notizen</translation>
    </message>
    <message>
        <location filename="../ui/notes_panel.py" line="70"/>
        <source>Your notes on this session (customer, what was done) for the session history</source>
        <translation>Ihre Notizen zu dieser Sitzung (Kunde, was gemacht wurde) für den Sitzungsverlauf</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../ui/identity_dialogs.py" line="193"/>
        <source>Unlock your certificate</source>
        <translation>Zertifikat entsperren</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="195"/>
        <source>Enter the passphrase of your key to connect as {name} (verified).</source>
        <translation>Geben Sie die Passphrase Ihres Schlüssels ein, um sich als {name} (verifiziert) zu verbinden.</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="200"/>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="202"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="203"/>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <location filename="../ui/identity_dialogs.py" line="207"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>PauseBanner</name>
    <message>
        <location filename="../ui/pause_banner.py" line="60"/>
        <source>Paused by timeout: the customer was asked whether to go on and did not answer. The picture and your input resume when the customer clicks Resume.</source>
        <extracomment>a grey veil over the remote screen while paused (a child widget, so it is drawn over every part of the picture whatever the view repaints; clicks pass through)</extracomment>
        <translation>Angehalten nach Zeitablauf: Der Kunde wurde gefragt, ob es weitergehen soll, und hat nicht geantwortet. Bild und Ihre Eingaben gehen weiter, sobald der Kunde auf „Fortsetzen“ klickt.</translation>
    </message>
    <message>
        <location filename="../ui/pause_banner.py" line="64"/>
        <source>Paused by the customer. The picture and your input resume when the customer clicks Resume.</source>
        <translation>Vom Kunden angehalten. Bild und Ihre Eingaben gehen weiter, sobald der Kunde auf „Fortsetzen“ klickt.</translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <location filename="../ui/permissions.py" line="39"/>
        <source>Control (mouse and keyboard)</source>
        <extracomment>Always asked for: the screen, and control (the customer may untick control). What may be asked for besides (api17.md section 1: OPTIONAL), in the order shown. What &quot;Ask for more…&quot; may ask for later: control too (after the customer unticked it).</extracomment>
        <translation>Steuern (Maus und Tastatur)</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="41"/>
        <source>Clipboard (copy and paste text both ways)</source>
        <translation>Zwischenablage (Text in beide Richtungen kopieren und einfügen)</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="43"/>
        <source>Send files to the customer</source>
        <translation>Dateien an den Kunden senden</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="45"/>
        <source>Receive files the customer sends you</source>
        <translation>Dateien empfangen, die der Kunde Ihnen sendet</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="57"/>
        <source>View and control</source>
        <translation>Sehen und steuern</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="59"/>
        <source>View only</source>
        <translation>Nur sehen</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="60"/>
        <source>Clipboard</source>
        <translation>Zwischenablage</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="61"/>
        <source>Send files</source>
        <translation>Dateien senden</translation>
    </message>
    <message>
        <location filename="../ui/permissions.py" line="62"/>
        <source>Receive files</source>
        <translation>Dateien empfangen</translation>
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
    <name>SessionWindow</name>
    <message>
        <location filename="../ui/session_window.py" line="115"/>
        <source>Fernhilfe – Session</source>
        <extracomment>How long the &quot;the customer allowed control&quot; notice stays (the &quot;stopped control&quot; one stays as long as control is off: it is what explains why the mouse does nothing). (label, quality) — quality 0 = lossless only; JPEG quality for changing photo-like areas. (label, bytes per second) — 0 = unlimited. the technician picked another of the customer&apos;s monitors (1..n, 0 = all) &quot;Ask for more…&quot;: a frozenset of permission names to ask the customer for now files to send to the customer (paths; &quot;Send file…&quot; or dropped onto the screen) Cancel on a transfer: direction (&quot;to_customer&quot;/&quot;to_technician&quot;), id the technician&apos;s own notes for the session history: customer, note</extracomment>
        <translation>Fernhilfe – Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="130"/>
        <source>Customer&apos;s screen</source>
        <translation>Bildschirm des Kunden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="140"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="176"/>
        <source>Session</source>
        <extracomment>&quot;Paused by timeout…&quot; above the greyed picture while the customer&apos;s sharing pauses</extracomment>
        <translation>Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="184"/>
        <source>Switch between fit to window and 1:1</source>
        <translation>Zwischen „an Fenster anpassen“ und 1:1 wechseln</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="180"/>
        <source>&amp;End session</source>
        <translation>Sitzung &amp;beenden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="182"/>
        <source>&amp;Actual size (1:1)</source>
        <translation>&amp;Originalgröße (1:1)</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="188"/>
        <source>Send Ctrl+Alt+&amp;Del</source>
        <translation>Strg+Alt+&amp;Entf senden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="192"/>
        <source>Session &amp;records…</source>
        <translation>Sitzungs&amp;protokolle…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="210"/>
        <source>Ask for &amp;more…</source>
        <translation>Um &amp;mehr bitten…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="211"/>
        <source>Ask the customer for control, the clipboard or files</source>
        <translation>Den Kunden um Steuerung, die Zwischenablage oder Dateien bitten</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="215"/>
        <source>Send &amp;file…</source>
        <translation>&amp;Datei senden…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="216"/>
        <source>Send files to the customer (you can also drop them onto the customer&apos;s screen)</source>
        <translation>Dateien an den Kunden senden (Sie können sie auch auf den Bildschirm des Kunden ziehen)</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="224"/>
        <source>&amp;Session</source>
        <translation>&amp;Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="235"/>
        <source>Sharp text</source>
        <translation>Scharfer Text</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="235"/>
        <source>Balanced</source>
        <translation>Ausgewogen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="236"/>
        <source>Fast</source>
        <translation>Schnell</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="238"/>
        <source>Picture quality</source>
        <translation>Bildqualität</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="240"/>
        <source>Picture quality: sharp text sends only exact pixels; fast sends moving pictures coarser. Resting areas always become exact.</source>
        <translation>Bildqualität: „Scharfer Text“ überträgt nur exakte Pixel, „Schnell“ überträgt bewegte Bilder gröber. Ruhende Bereiche werden immer exakt.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="246"/>
        <source>Bandwidth limit</source>
        <translation>Bandbreite begrenzen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="247"/>
        <source>Most bandwidth the customer&apos;s screen may use</source>
        <translation>Höchste Datenrate für den Bildschirm des Kunden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="249"/>
        <source>Unlimited</source>
        <translation>Unbegrenzt</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="254"/>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualität:</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="255"/>
        <source>Band&amp;width:</source>
        <translation>&amp;Bandbreite:</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="277"/>
        <source>Clipboard, files and notes</source>
        <translation>Zwischenablage, Dateien und Notizen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="291"/>
        <source>Session status</source>
        <translation>Sitzungsstatus</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="292"/>
        <source>What you may do</source>
        <translation>Was Sie dürfen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="293"/>
        <source>Clipboard</source>
        <translation>Zwischenablage</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="294"/>
        <source>Picture statistics</source>
        <translation>Bildstatistik</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="295"/>
        <source>Measured connection</source>
        <translation>Gemessene Verbindung</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="426"/>
        <source>The customer stopped: {what}</source>
        <translation>Der Kunde hat beendet: {what}</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="429"/>
        <source>The customer allowed: {what}</source>
        <translation>Der Kunde hat zugelassen: {what}</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="453"/>
        <source>Asked the customer for: {what}. The customer answers on their screen.</source>
        <translation>Den Kunden gebeten um: {what}. Der Kunde antwortet auf seinem Bildschirm.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="471"/>
        <source>Clipboard sent ({n} characters)</source>
        <translation>Zwischenablage gesendet ({n} Zeichen)</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="476"/>
        <source>Clipboard received ({n} characters)</source>
        <translation>Zwischenablage empfangen ({n} Zeichen)</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="482"/>
        <source>Clipboard not sent: the text is too long (at most 64 KiB).</source>
        <translation>Zwischenablage nicht gesendet: Der Text ist zu lang (höchstens 64 KiB).</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="541"/>
        <source>Paused by macOS: the customer&apos;s Mac does not yet allow Screen Recording. The picture resumes by itself once the customer allows it.</source>
        <translation>Von macOS angehalten: Der Mac des Kunden erlaubt die Bildschirmaufnahme noch nicht. Das Bild geht von selbst weiter, sobald der Kunde sie erlaubt.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="586"/>
        <source>Link {rate} · {rtt} ms</source>
        <translation>Verbindung {rate} · {rtt} ms</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="588"/>
        <source>Measured by the customer&apos;s computer: {rate}, round trip {rtt} ms (at least {min_rtt} ms), waiting in the line {queue} ms</source>
        <translation>Gemessen vom Computer des Kunden: {rate}, Antwortzeit {rtt} ms (mindestens {min_rtt} ms), davon Wartezeit in der Leitung {queue} ms</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="315"/>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="316"/>
        <source>Hide</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="317"/>
        <source>Hide the notice</source>
        <translation>Hinweis ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="335"/>
        <source>Read this check number to the customer:</source>
        <translation>Lesen Sie dem Kunden diese Prüfzahl vor:</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="340"/>
        <source>Waiting for the customer</source>
        <translation>Warten auf den Kunden</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="355"/>
        <location filename="../ui/session_window.py" line="511"/>
        <source>Session running</source>
        <translation>Sitzung läuft</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="360"/>
        <source>The customer allowed you to see the screen, not to control it.</source>
        <translation>Der Kunde hat zugelassen, dass Sie den Bildschirm sehen, aber nicht steuern.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="376"/>
        <source>No session took place.</source>
        <translation>Es hat keine Sitzung stattgefunden.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="381"/>
        <source>Session ended</source>
        <translation>Sitzung beendet</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="513"/>
        <source>The connection to the customer is back.</source>
        <translation>Die Verbindung zum Kunden steht wieder.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="517"/>
        <source>Connection interrupted</source>
        <translation>Verbindung unterbrochen</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="518"/>
        <source>The connection service is restarting…</source>
        <translation>Der Verbindungsdienst startet neu…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="519"/>
        <source>Reconnecting…</source>
        <translation>Verbindung wird wiederhergestellt…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="574"/>
        <location filename="../ui/session_window.py" line="585"/>
        <source>.</source>
        <comment>decimal point in numbers</comment>
        <translation>,</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="626"/>
        <source>Time left for the customer to answer: {time}</source>
        <translation>Zeit für die Antwort des Kunden: noch {time}</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="635"/>
        <source>The connection to the customer is interrupted. Waiting for it to come back… The session ends in {time} if it does not.</source>
        <translation>Die Verbindung zum Kunden ist unterbrochen. Die Konsole wartet, bis sie wieder steht… Sonst endet die Sitzung in {time}.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="638"/>
        <source>The connection service is restarting. Reconnecting… The session ends in {time} if it does not come back.</source>
        <translation>Der Verbindungsdienst startet neu. Die Verbindung wird wiederhergestellt… Sonst endet die Sitzung in {time}.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="641"/>
        <source>The connection to the customer was lost. Reconnecting… The session ends in {time} if it does not come back.</source>
        <translation>Die Verbindung zum Kunden ist abgebrochen. Sie wird wiederhergestellt… Sonst endet die Sitzung in {time}.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="688"/>
        <source>You can see and control the customer&apos;s screen.</source>
        <translation>Sie sehen und steuern den Bildschirm des Kunden.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="689"/>
        <source>View only: your mouse and keyboard are not sent.</source>
        <translation>Nur sehen: Ihre Maus und Tastatur werden nicht übertragen.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="338"/>
        <source>Waiting for the customer to allow…</source>
        <translation>Warten, bis der Kunde die Sitzung zulässt…</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="265"/>
        <source>Monitor and laser pointer</source>
        <translation>Monitor und Laserpointer</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="375"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="412"/>
        <source>The customer allowed control. Your mouse and keyboard work on the customer&apos;s screen again.</source>
        <translation>Der Kunde hat die Steuerung zugelassen. Ihre Maus und Tastatur wirken wieder auf dem Bildschirm des Kunden.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="415"/>
        <source>The customer stopped control. You can still see the screen; your mouse and keyboard are not sent.</source>
        <translation>Der Kunde hat die Steuerung beendet. Sie sehen den Bildschirm weiter; Ihre Maus und Tastatur werden nicht übertragen.</translation>
    </message>
    <message>
        <location filename="../ui/session_window.py" line="572"/>
        <source>{fps:.0f} fps · {rtt:.0f} ms · {rate}</source>
        <translation>{fps:.0f} Bilder/s · {rtt:.0f} ms · {rate}</translation>
    </message>
</context>
<context>
    <name>ShowTools</name>
    <message>
        <location filename="../ui/show_tools.py" line="70"/>
        <source>&amp;Laser pointer</source>
        <translation>&amp;Laserpointer</translation>
    </message>
    <message>
        <location filename="../ui/show_tools.py" line="71"/>
        <source>Dra&amp;w</source>
        <translation>&amp;Zeichnen</translation>
    </message>
    <message>
        <location filename="../ui/show_tools.py" line="72"/>
        <source>Arr&amp;ow</source>
        <translation>P&amp;feil</translation>
    </message>
    <message>
        <location filename="../ui/show_tools.py" line="73"/>
        <source>&amp;Clear drawings</source>
        <translation>&amp;Markierungen entfernen</translation>
    </message>
    <message>
        <location filename="../ui/show_tools.py" line="75"/>
        <source>Show the customer a spot on their screen with a red laser pointer ({keys}). Your mouse does not control anything meanwhile.</source>
        <translation>Zeigen Sie dem Kunden mit einem roten Laserpointer eine Stelle auf seinem Bildschirm ({keys}). Ihre Maus steuert dabei nichts.</translation>
    </message>
    <message>
        <location filename="../ui/show_tools.py" line="77"/>
        <source>Draw on the customer&apos;s screen ({keys}); the drawing disappears after a few seconds. A click removes all drawings.</source>
        <translation>Zeichnen Sie eine Markierung auf den Bildschirm des Kunden ({keys}); sie verschwindet nach ein paar Sekunden. Ein Klick entfernt alle Markierungen.</translation>
    </message>
    <message>
        <location filename="../ui/show_tools.py" line="79"/>
        <source>Draw an arrow on the customer&apos;s screen ({keys}): drag from where it starts to where it points.</source>
        <translation>Zeichnen Sie einen Pfeil auf den Bildschirm des Kunden ({keys}): Ziehen Sie vom Anfang bis dahin, wohin er zeigen soll.</translation>
    </message>
    <message>
        <location filename="../ui/show_tools.py" line="81"/>
        <source>Remove every drawing from the customer&apos;s screen ({keys})</source>
        <translation>Alle Markierungen vom Bildschirm des Kunden entfernen ({keys})</translation>
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
    <name>SystemNoticeBar</name>
    <message>
        <location filename="../ui/system_notice.py" line="29"/>
        <location filename="../ui/system_notice.py" line="30"/>
        <source>Hide</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/system_notice.py" line="32"/>
        <source>Hide the note about the customer&apos;s computer</source>
        <translation>Den Hinweis zum Computer des Kunden ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/system_notice.py" line="40"/>
        <source>The window in front on the customer&apos;s computer runs as administrator: your input does not reach it. The customer can restart Fernhilfe as administrator.</source>
        <translation>Das Fenster im Vordergrund auf dem Computer des Kunden läuft als Administrator: Ihre Eingaben kommen dort nicht an. Der Kunde kann Fernhilfe als Administrator neu starten.</translation>
    </message>
    <message>
        <location filename="../ui/system_notice.py" line="44"/>
        <source>Windows did not allow Ctrl+Alt+Del; ask the customer to press it.</source>
        <translation>Windows hat Strg+Alt+Entf nicht zugelassen; bitten Sie den Kunden, die Tasten selbst zu drücken.</translation>
    </message>
    <message>
        <location filename="../ui/system_notice.py" line="46"/>
        <source>The customer&apos;s Mac does not yet allow Screen Recording: the picture stays paused until the customer allows it.</source>
        <translation>Der Mac des Kunden erlaubt die Bildschirmaufnahme noch nicht: Das Bild bleibt angehalten, bis der Kunde sie erlaubt.</translation>
    </message>
    <message>
        <location filename="../ui/system_notice.py" line="49"/>
        <source>The customer&apos;s Mac does not yet allow Accessibility: your mouse and keyboard do not reach it until the customer allows it.</source>
        <translation>Der Mac des Kunden erlaubt die Bedienungshilfen noch nicht: Ihre Maus und Tastatur kommen dort erst an, wenn der Kunde sie erlaubt.</translation>
    </message>
</context>
<context>
    <name>TransferRow</name>
    <message>
        <location filename="../ui/transfers_panel.py" line="69"/>
        <source>Cancel</source>
        <extracomment>Wire names of the two directions (api17.md section 3). Finished rows kept in the list (the oldest finished ones go first; running ones stay).</extracomment>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="77"/>
        <source>Show in folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="112"/>
        <source>Check sum (SHA-256): {hash}</source>
        <translation>Prüfsumme (SHA-256): {hash}</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="120"/>
        <source>Waiting for the customer&apos;s computer…</source>
        <translation>Warten auf den Computer des Kunden…</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="121"/>
        <source>Preparing…</source>
        <translation>Wird vorbereitet…</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="123"/>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="123"/>
        <source>Receiving…</source>
        <translation>Wird empfangen…</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="126"/>
        <source>Sent. The customer&apos;s computer checked the file.</source>
        <translation>Gesendet. Der Computer des Kunden hat die Datei geprüft.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="127"/>
        <source>Received and checked. Saved as {path}</source>
        <translation>Empfangen und geprüft. Gespeichert als {path}</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="132"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="133"/>
        <source>Not allowed: the customer does not allow this now.</source>
        <translation>Nicht zugelassen: Der Kunde lässt das gerade nicht zu.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="134"/>
        <source>Stopped: the customer no longer allows files.</source>
        <translation>Beendet: Der Kunde lässt keine Dateien mehr zu.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="135"/>
        <source>Refused: the file is larger than the other side accepts.</source>
        <translation>Abgelehnt: Die Datei ist größer, als die Gegenseite annimmt.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="136"/>
        <source>Refused: there is not enough free space for the file.</source>
        <translation>Abgelehnt: Für die Datei ist nicht genug Platz frei.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="137"/>
        <source>The file arrived damaged and was deleted. Please send it again.</source>
        <translation>Die Datei kam beschädigt an und wurde gelöscht. Bitte senden Sie sie noch einmal.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="139"/>
        <source>Stopped: the session ended.</source>
        <translation>Beendet: Die Sitzung ist zu Ende.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="140"/>
        <source>Not sent: the customer does not allow you to send files now.</source>
        <translation>Nicht gesendet: Der Kunde lässt gerade nicht zu, dass Sie Dateien senden.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="142"/>
        <source>Not sent: at most 4 files go at once. Please send it when one has finished.</source>
        <translation>Nicht gesendet: Es gehen höchstens 4 Dateien gleichzeitig. Bitte senden Sie sie, wenn eine fertig ist.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="144"/>
        <source>Not sent: the file cannot be read (moved, deleted or not yours to read).</source>
        <translation>Nicht gesendet: Die Datei kann nicht gelesen werden (verschoben, gelöscht oder ohne Leserecht).</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="147"/>
        <source>Stopped because of an error (details are in the log).</source>
        <translation>Wegen eines Fehlers beendet (Einzelheiten stehen im Log).</translation>
    </message>
</context>
<context>
    <name>TransfersPanel</name>
    <message>
        <location filename="../ui/transfers_panel.py" line="165"/>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="174"/>
        <source>Send file…</source>
        <translation>Datei senden…</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="179"/>
        <source>No files sent or received in this session.</source>
        <translation>In dieser Sitzung wurden keine Dateien gesendet oder empfangen.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="200"/>
        <source>&amp;Files</source>
        <translation>Da&amp;teien</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="202"/>
        <source>Show or hide the files sent and received</source>
        <translation>Gesendete und empfangene Dateien zeigen oder ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="216"/>
        <source>You can send files to the customer: use Send file… or drop files onto the customer&apos;s screen.</source>
        <translation>Sie können dem Kunden Dateien senden: mit „Datei senden…“ oder indem Sie Dateien auf den Bildschirm des Kunden ziehen.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="218"/>
        <source>The customer does not allow you to send files now.</source>
        <translation>Der Kunde lässt gerade nicht zu, dass Sie Dateien senden.</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="248"/>
        <source>Send files to the customer</source>
        <translation>Dateien an den Kunden senden</translation>
    </message>
    <message>
        <location filename="../ui/transfers_panel.py" line="262"/>
        <source>The session has ended.</source>
        <translation>Die Sitzung ist beendet.</translation>
    </message>
</context>
</TS>
