/** The transfer form's page: A4 in PDF points, and its margin. */
export const PAGE = { width: 595.28, height: 841.89, margin: 50 } as const;
