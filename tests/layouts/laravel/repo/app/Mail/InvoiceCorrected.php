<?php

namespace App\Mail;

use App\Models\User;
use Illuminate\Bus\Queueable;
use Illuminate\Mail\Mailable;
use Illuminate\Mail\Mailables\Address;
use Illuminate\Mail\Mailables\Content;
use Illuminate\Mail\Mailables\Envelope;
use Illuminate\Queue\SerializesModels;

class InvoiceCorrected extends Mailable
{
    use Queueable, SerializesModels;

    public function __construct(public User $user, public string $invoiceUrl)
    {
    }

    public function envelope(): Envelope
    {
        return new Envelope(
            from: new Address('billing@brightwell.example', 'Brightwell Billing'),
            subject: 'Sorry: your invoice showed the wrong total',
        );
    }

    public function content(): Content
    {
        return new Content(markdown: 'emails.invoice_corrected');
    }
}
