// The login QR code, drawn locally: in the terminal for whoever starts Gridline, and as SVG for
// the administrator's page. Never through an online QR service (the login value is a credential
// for whoever scans it first, and such services may be unreachable from the district network).
import QRCode from 'qrcode';

export async function qrTerminal(value: string): Promise<string> {
  return QRCode.toString(value, { type: 'terminal', small: true });
}

export async function qrSvg(value: string): Promise<string> {
  return QRCode.toString(value, { type: 'svg', margin: 2, width: 280, errorCorrectionLevel: 'M' });
}
