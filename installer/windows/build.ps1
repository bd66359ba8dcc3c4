# Windows build and code signing of the agent (.exe), and with -Console of the console. Not run on
# the Linux machines; .github/workflows/platforms.yml runs it unsigned on a Windows runner on every
# push. Needs Windows 10/11 with Python 3.11+ (python.org installer, "py" launcher, or -Python
# with the path of another python.exe, as in CI), and for signing the Windows SDK (signtool.exe)
# and your code-signing certificate (EV/OV, usually on a hardware token or in a cloud HSM).
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1 -Branding my-branding.toml
# Placeholders: -CertThumbprint (certificate in the user's store) and -TimestampUrl (your CA's).
# Without -CertThumbprint the .exe is built unsigned (SmartScreen will warn customers).
param(
    [Parameter(Mandatory = $true)][string]$Branding,
    [string]$CertThumbprint = "",                                 # e.g. "0123456789ABCDEF..."
    [string]$TimestampUrl = "http://timestamp.digicert.com",      # your CA's RFC 3161 server
    [switch]$Console,
    [string]$Python = ""                                          # default: py -3.11
)
Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

function Invoke-Checked { & $args[0] $args[1..($args.Count - 1)]; if ($LASTEXITCODE) { throw "failed: $args" } }

if (-not (Test-Path .venv-windows)) {
    # A CI runner's setup-python is not registered with the "py" launcher: it passes -Python.
    if ($Python) { Invoke-Checked $Python -m venv .venv-windows }
    else { Invoke-Checked py -3.11 -m venv .venv-windows }
}
$py = ".venv-windows\Scripts\python.exe"
Invoke-Checked $py -m pip install -q --upgrade pip
Invoke-Checked $py -m pip install -q -e ".[build]"
Invoke-Checked $py installer\build_agent.py --branding $Branding
if ($Console) { Invoke-Checked $py installer\build_console.py }

$exes = Get-ChildItem dist\fernhilfe-*.exe
if (-not $CertThumbprint) {
    Write-Warning "No -CertThumbprint: $($exes.Name -join ', ') unsigned"
    exit 0
}
$signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
    Sort-Object FullName -Descending | Select-Object -First 1
foreach ($exe in $exes) {
    Invoke-Checked $signtool.FullName sign /sha1 $CertThumbprint /fd SHA256 `
        /tr $TimestampUrl /td SHA256 /d "Fernhilfe remote support" $exe.FullName
    Invoke-Checked $signtool.FullName verify /pa /v $exe.FullName
    Get-FileHash -Algorithm SHA256 $exe.FullName | Format-List
}
